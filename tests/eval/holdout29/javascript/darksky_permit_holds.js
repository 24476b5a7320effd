// Dark-sky site permits: night-time access holds and the sweeper that removes them.
// Each site has a fixed number of telescope pads per night. An applicant gets a
// 20-minute hold on a pad while they upload insurance and agree to the lighting rules.

const cron = require('node-cron');
const { pool } = require('./db'); // shared pg.Pool, max 20

const HOLD_MINUTES = 20;
const SWEEP_LOCK_KEY = 470021; // pg advisory lock id for the sweeper
const SWEEP_BATCH = 5000;

async function placeHold({ siteId, night, applicantId }) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');

    // Serialise holds for one site-night on its capacity row.
    const { rows: nights } = await client.query(
      `SELECT pads FROM site_nights WHERE site_id = $1 AND night = $2 FOR UPDATE`,
      [siteId, night]
    );
    if (nights.length === 0) {
      await client.query('ROLLBACK');
      return { ok: false, reason: 'site closed that night' };
    }

    const { rows: used } = await client.query(
      `SELECT count(*)::int AS n
         FROM permit_holds
        WHERE site_id = $1 AND night = $2 AND (confirmed OR expires_at > now())`,
      [siteId, night]
    );
    if (used[0].n >= nights[0].pads) {
      await client.query('ROLLBACK');
      return { ok: false, reason: 'no pads left' };
    }

    const { rows } = await client.query(
      `INSERT INTO permit_holds (site_id, night, applicant_id, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(mins => $4))
       ON CONFLICT (site_id, night, applicant_id)
       DO UPDATE SET expires_at = EXCLUDED.expires_at
       RETURNING id, expires_at`,
      [siteId, night, applicantId, HOLD_MINUTES]
    );
    await client.query('COMMIT');
    return { ok: true, holdId: rows[0].id, expiresAt: rows[0].expires_at };
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

// Remove unconfirmed holds an hour after they lapsed. Runs on every replica;
// the advisory lock makes sure only one of them does the work.
async function sweepExpiredHolds() {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT pg_try_advisory_lock($1) AS got', [SWEEP_LOCK_KEY]);
    if (!rows[0].got) return 0;

    let total = 0;
    try {
      for (;;) {
        const { rowCount } = await client.query(
          `DELETE FROM permit_holds
            WHERE id IN (
              SELECT id FROM permit_holds
               WHERE NOT confirmed AND expires_at < now() - interval '1 hour'
               LIMIT $1)`,
          [SWEEP_BATCH]
        );
        total += rowCount;
        if (rowCount < SWEEP_BATCH) break;
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [SWEEP_LOCK_KEY]);
    }
    return total;
  } finally {
    client.release();
  }
}

function startSweeper(logger) {
  return cron.schedule('*/5 * * * *', async () => {
    try {
      const removed = await sweepExpiredHolds();
      if (removed > 0) logger.info({ removed }, 'expired permit holds removed');
    } catch (err) {
      logger.error({ err }, 'permit hold sweep failed');
    }
  });
}

module.exports = { placeHold, sweepExpiredHolds, startSweeper };
