// You're right to worry about the original version: it did
//   SELECT filled, capacity FROM shifts WHERE id = $1
// and then `UPDATE shifts SET filled = $2` with `filled + 1` computed in JS,
// so two volunteers tapping "Sign up" for the last spot could both get in
// (and one increment would be lost).
//
// Here's a version that lets Postgres do the check and the increment in one
// statement, and relies on the UNIQUE (shift_id, volunteer_id) constraint for
// double sign-ups:

const { pool } = require('./db'); // the shared pg Pool you already create at startup
const logger = require('./logger');

async function signUpForShift(shiftId, volunteerId) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');

    const claim = await client.query(
      `UPDATE shifts
          SET filled = filled + 1
        WHERE id = $1
          AND filled < capacity
          AND starts_at > now()
        RETURNING id, starts_at`,
      [shiftId]
    );
    if (claim.rowCount === 0) {
      await client.query('ROLLBACK');
      return { ok: false, reason: 'shift_full_or_started' };
    }

    const inserted = await client.query(
      `INSERT INTO shift_signups (shift_id, volunteer_id)
       VALUES ($1, $2)
       ON CONFLICT (shift_id, volunteer_id) DO NOTHING`,
      [shiftId, volunteerId]
    );
    if (inserted.rowCount === 0) {
      // already signed up: undo the seat we just took
      await client.query('ROLLBACK');
      return { ok: false, reason: 'already_signed_up' };
    }

    await client.query('COMMIT');
    return { ok: true, startsAt: claim.rows[0].starts_at };
  } catch (err) {
    await client.query('ROLLBACK').catch((rbErr) => logger.warn({ err: rbErr }, 'rollback failed'));
    throw err;
  } finally {
    client.release();
  }
}

// Cancelling works the same way: only decrement if a signup row was actually removed.
async function cancelSignup(shiftId, volunteerId) {
  const { rowCount } = await pool.query(
    `WITH removed AS (
       DELETE FROM shift_signups WHERE shift_id = $1 AND volunteer_id = $2 RETURNING shift_id
     )
     UPDATE shifts SET filled = filled - 1
      WHERE id IN (SELECT shift_id FROM removed)`,
    [shiftId, volunteerId]
  );
  return rowCount === 1;
}

module.exports = { signUpForShift, cancelSignup };

// Usage in the route stays the same:
//   const r = await signUpForShift(req.params.id, req.user.volunteerId);
//   if (!r.ok) return res.status(409).json({ error: r.reason });
