// jobs/glassPickups.js — nightly job for the glass recycling collection service.
//
// 1. Removes pickup holds that residents never confirmed (they expire after 2 h).
// 2. Sends tomorrow's confirmed pickups to the routing provider and stores the
//    optimised stop order for the drivers' app.
// Runs once a night from node-cron inside the worker container.
const cron = require('node-cron');
const axios = require('axios');
const { Pool } = require('pg');
const logger = require('../lib/logger');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 4,
  connectionTimeoutMillis: 5000,
  statement_timeout: 60000,
});

const routing = axios.create({
  baseURL: 'https://api.routeplanner.example/v2',
  timeout: 15000,
  headers: { 'x-api-key': process.env.ROUTING_API_KEY },
});

const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withBackoff(label, fn) {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const status = err.response && err.response.status;
      const retriable = !status || status === 429 || status >= 500;
      if (!retriable || attempt === MAX_ATTEMPTS) throw err;
      const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
      const delay = Math.floor(Math.random() * cap); // full jitter
      logger.warn({ label, attempt, delay, status }, 'routing call failed, retrying');
      await sleep(delay);
    }
  }
}

async function purgeExpiredHolds() {
  const { rowCount } = await pool.query(
    "DELETE FROM pickup_holds WHERE expires_at < now() - interval '1 hour'"
  );
  logger.info({ rowCount }, 'expired pickup holds removed');
}

async function planTomorrow(depotId) {
  const { rows: stops } = await pool.query(
    `SELECT id, lat, lng, crate_count
       FROM pickups
      WHERE depot_id = $1 AND pickup_date = current_date + 1 AND status = 'confirmed'
      ORDER BY id
      LIMIT 400`,
    [depotId]
  );
  if (stops.length === 0) return;

  const plan = await withBackoff(`depot-${depotId}`, () =>
    routing.post('/optimize', {
      vehicle: { capacity_crates: 60 },
      stops: stops.map((s) => ({ id: String(s.id), lat: s.lat, lng: s.lng, load: s.crate_count })),
    })
  );

  const ids = plan.data.order.map(Number);
  const positions = ids.map((_, i) => i + 1);
  await pool.query(
    `UPDATE pickups p SET route_position = o.pos
       FROM unnest($1::bigint[], $2::int[]) AS o(id, pos)
      WHERE p.id = o.id AND p.depot_id = $3`,
    [ids, positions, depotId]
  );
}

// one worker container per depot (DEPOT_ID is set in its deployment)
async function runNightly(depotId = Number(process.env.DEPOT_ID)) {
  await purgeExpiredHolds();
  try {
    await planTomorrow(depotId);
  } catch (err) {
    logger.error({ err, depotId }, 'route planning failed for depot');
    throw err;
  }
}

cron.schedule('15 2 * * *', () => {
  runNightly().catch((err) => {
    logger.error({ err }, 'nightly glass pickup job failed');
    process.exitCode = 1; // the job monitor alerts on a non-zero exit
  });
});

module.exports = { runNightly, withBackoff };
