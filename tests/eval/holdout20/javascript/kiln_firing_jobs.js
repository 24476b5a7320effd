// jobs/kilnFiring.js
// Background jobs for the community pottery studio's kiln bookings.
// Scheduled with node-cron from worker.js (a single worker process, not the web tier).
const cron = require('node-cron');
const db = require('../db'); // shared pg Pool
const logger = require('../lib/logger');

const KILN_CONTROLLER_URL = process.env.KILN_CONTROLLER_URL; // Bartlett Genesis bridge on the studio LAN
const REQUEST_TIMEOUT_MS = 5000;
const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15000;
const PURGE_BATCH = 1000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Full-jitter exponential backoff, capped both in delay and in attempts.
async function withBackoff(label, fn) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS) {
        logger.error({ err, label, attempt }, 'giving up');
        throw err;
      }
      const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
      const delay = Math.floor(Math.random() * ceiling);
      logger.warn({ label, attempt, delay, message: err.message }, 'retrying');
      await sleep(delay);
    }
  }
}

async function fetchKilnStatuses() {
  const res = await fetch(`${KILN_CONTROLLER_URL}/api/kilns/status`, {
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    headers: { Accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`kiln controller answered ${res.status}`);
  return res.json(); // [{ kilnId, segment, tempC, targetC, state }]
}

// Every minute: record the current temperature of every kiln in one statement.
async function recordFiringTemperatures() {
  const statuses = await withBackoff('kiln-status', fetchKilnStatuses);
  if (statuses.length === 0) return;

  await db.query(
    `INSERT INTO firing_temperatures (kiln_id, segment, temp_c, target_c, state, recorded_at)
     SELECT k, s, t, g, st, now()
       FROM unnest($1::int[], $2::int[], $3::numeric[], $4::numeric[], $5::text[]) AS x(k, s, t, g, st)`,
    [
      statuses.map((s) => s.kilnId),
      statuses.map((s) => s.segment),
      statuses.map((s) => s.tempC),
      statuses.map((s) => s.targetC),
      statuses.map((s) => s.state),
    ]
  );
}

// Members hold a shelf in an upcoming firing for 30 minutes while they pay.
// Expired holds are removed in small batches so the delete never locks the table for long.
async function purgeExpiredShelfHolds() {
  let total = 0;
  for (;;) {
    const { rowCount } = await db.query(
      `DELETE FROM kiln_shelf_holds
        WHERE id IN (SELECT id FROM kiln_shelf_holds
                      WHERE expires_at < now()
                      ORDER BY expires_at
                      LIMIT $1)`,
      [PURGE_BATCH]
    );
    total += rowCount;
    if (rowCount < PURGE_BATCH) break;
  }
  if (total > 0) logger.info({ total }, 'purged expired kiln shelf holds');
}

function runSafely(name, job) {
  return async () => {
    try {
      await job();
    } catch (err) {
      logger.error({ err, job: name }, 'scheduled job failed');
    }
  };
}

function start() {
  cron.schedule('* * * * *', runSafely('record-firing-temperatures', recordFiringTemperatures));
  cron.schedule('*/5 * * * *', runSafely('purge-expired-shelf-holds', purgeExpiredShelfHolds));
  logger.info('kiln jobs scheduled');
}

module.exports = { start, recordFiringTemperatures, purgeExpiredShelfHolds };
