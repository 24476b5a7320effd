// workers/charcoalNightly.js
// Nightly housekeeping for the woodland charcoal burn logs:
//  1. purge draft burn logs whose edit window has expired (drafts live 72 h)
//  2. roll finished burns up into per-coppice monthly yield totals for the dashboard
// The worker image runs on every node, so the job takes a Postgres advisory lock and only
// one instance does the work each night.
const cron = require('node-cron');
const { pool } = require('../db');
const logger = require('../logger');

const JOB_LOCK_KEY = 721004; // arbitrary, unique per job
const PURGE_BATCH = 5000;

async function purgeExpiredDrafts(client) {
  let purged = 0;
  for (;;) {
    const { rowCount } = await client.query(
      `DELETE FROM burn_log_drafts
        WHERE id IN (
          SELECT id FROM burn_log_drafts
           WHERE expires_at < now()
           ORDER BY id
           LIMIT $1
        )`,
      [PURGE_BATCH]
    );
    purged += rowCount;
    if (rowCount < PURGE_BATCH) break;
  }
  return purged;
}

async function rollUpYields(client) {
  // Only the last two months can still change (late weigh-ins), so recompute just those.
  const { rowCount } = await client.query(
    `INSERT INTO coppice_monthly_yield (woodland_id, coppice_id, month, burns, charcoal_kg, wood_tonnes)
     SELECT b.woodland_id, b.coppice_id, date_trunc('month', b.lit_at)::date,
            count(*), sum(b.charcoal_kg), sum(b.wood_tonnes)
       FROM burn_logs b
      WHERE b.status = 'finished'
        AND b.lit_at >= date_trunc('month', now()) - interval '1 month'
      GROUP BY 1, 2, 3
     ON CONFLICT (woodland_id, coppice_id, month) DO UPDATE
        SET burns = EXCLUDED.burns,
            charcoal_kg = EXCLUDED.charcoal_kg,
            wood_tonnes = EXCLUDED.wood_tonnes,
            refreshed_at = now()`
  );
  return rowCount;
}

async function runNightly() {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT pg_try_advisory_lock($1) AS locked', [JOB_LOCK_KEY]);
    if (!rows[0].locked) {
      logger.info('charcoal nightly already running on another node');
      return;
    }
    try {
      const purged = await purgeExpiredDrafts(client);
      const rolled = await rollUpYields(client);
      logger.info({ purged, rolled }, 'charcoal nightly done');
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [JOB_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

function schedule() {
  cron.schedule('15 3 * * *', () => {
    runNightly().catch((err) => {
      // Reported to alerting by the log shipper; next night's run retries from scratch.
      logger.fatal({ err }, 'charcoal nightly cron run failed');
    });
  }, { timezone: 'Europe/London' });
}

module.exports = { schedule, runNightly };
