// Velodrome track-session booking for affiliated cycling clubs (node-postgres).
// Sessions have a fixed rider capacity (track safety limit); clubs are tenants.
const { pool } = require('./db');

class BookingError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

async function listUpcomingSessions(clubId, { before, limit = 20 }) {
  const { rows } = await pool.query(
    `SELECT id, starts_at, discipline, capacity, riders_booked
       FROM track_sessions
      WHERE club_id = $1 AND starts_at > now() AND ($2::timestamptz IS NULL OR starts_at < $2)
      ORDER BY starts_at
      LIMIT $3`,
    [clubId, before ?? null, Math.min(limit, 100)]
  );
  return rows;
}

/**
 * Book a rider onto a track session. Both statements run in one transaction:
 * the rider row is unique per session, and the capacity counter only moves when
 * there is still room, so concurrent bookings cannot overfill the track.
 */
async function bookRider(clubId, sessionId, riderId) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');

    const added = await client.query(
      `INSERT INTO session_riders (session_id, rider_id, club_id, booked_at)
       VALUES ($1, $2, $3, now())
       ON CONFLICT (session_id, rider_id) DO NOTHING`,
      [sessionId, riderId, clubId]
    );
    if (added.rowCount === 0) {
      await client.query('ROLLBACK');
      throw new BookingError('ALREADY_BOOKED', 'Rider is already on this session');
    }

    const updated = await client.query(
      `UPDATE track_sessions
          SET riders_booked = riders_booked + 1
        WHERE id = $1 AND club_id = $2 AND riders_booked < capacity
        RETURNING riders_booked, capacity`,
      [sessionId, clubId]
    );
    if (updated.rowCount === 0) {
      await client.query('ROLLBACK');
      throw new BookingError('SESSION_FULL', 'Session is full');
    }

    await client.query('COMMIT');
    return updated.rows[0];
  } catch (err) {
    if (!(err instanceof BookingError)) await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

async function cancelRider(clubId, sessionId, riderId) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const removed = await client.query(
      'DELETE FROM session_riders WHERE session_id = $1 AND rider_id = $2 AND club_id = $3',
      [sessionId, riderId, clubId]
    );
    if (removed.rowCount === 1) {
      await client.query(
        'UPDATE track_sessions SET riders_booked = riders_booked - 1 WHERE id = $1 AND club_id = $2',
        [sessionId, clubId]
      );
    }
    await client.query('COMMIT');
    return removed.rowCount === 1;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

module.exports = { listUpcomingSessions, bookRider, cancelRider, BookingError };
