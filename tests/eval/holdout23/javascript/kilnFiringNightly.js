// jobs/kilnFiringNightly.js
// Nightly roll-up of kiln thermocouple logs into one summary row per firing,
// then trims raw readings we no longer need. Scheduled in the worker process
// (node-cron, 02:15), never from the web app.
const cron = require('node-cron');
const { Pool } = require('pg');
const logger = require('../lib/logger');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 4,
  statement_timeout: 120_000,
});

const BATCH = 200;
const RAW_RETENTION_DAYS = 90;
const ADVISORY_LOCK_ID = 42170215; // one roll-up at a time across all worker hosts

async function nextUnsummarised(client) {
  const { rows } = await client.query(
    `SELECT id FROM kiln_firings
      WHERE completed_at IS NOT NULL AND summarised_at IS NULL
      ORDER BY completed_at
      LIMIT $1`,
    [BATCH],
  );
  return rows.map((r) => r.id);
}

async function summariseBatch(client, firingIds) {
  await client.query('BEGIN');
  try {
    await client.query(
      `INSERT INTO kiln_firing_summaries (firing_id, peak_c, started_at, ended_at, samples)
       SELECT firing_id, max(temp_c), min(recorded_at), max(recorded_at), count(*)
         FROM kiln_sensor_readings
        WHERE firing_id = ANY($1::bigint[])
        GROUP BY firing_id
       ON CONFLICT (firing_id) DO UPDATE
         SET peak_c = EXCLUDED.peak_c,
             started_at = EXCLUDED.started_at,
             ended_at = EXCLUDED.ended_at,
             samples = EXCLUDED.samples`,
      [firingIds],
    );
    await client.query(
      'UPDATE kiln_firings SET summarised_at = now() WHERE id = ANY($1::bigint[])',
      [firingIds],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

async function trimRawReadings(client) {
  const { rowCount } = await client.query(
    `DELETE FROM kiln_sensor_readings r
      USING kiln_firings f
     WHERE r.firing_id = f.id
       AND f.summarised_at < now() - make_interval(days => $1)`,
    [RAW_RETENTION_DAYS],
  );
  return rowCount;
}

async function runNightly() {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT pg_try_advisory_lock($1) AS locked', [ADVISORY_LOCK_ID]);
    if (!rows[0].locked) {
      logger.info('kiln roll-up already running elsewhere, skipping');
      return;
    }
    try {
      let total = 0;
      for (let ids = await nextUnsummarised(client); ids.length > 0; ids = await nextUnsummarised(client)) {
        await summariseBatch(client, ids);
        total += ids.length;
      }
      const trimmed = await trimRawReadings(client);
      logger.info({ summarised: total, trimmed }, 'kiln roll-up finished');
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_ID]);
    }
  } finally {
    client.release();
  }
}

cron.schedule('15 2 * * *', () => {
  runNightly().catch((err) => {
    logger.error({ err }, 'kiln roll-up failed');
    process.exitCode = 1;
  });
});

module.exports = { runNightly };
