// jobs/refreshPortageConditions.js
// Every 20 minutes: pull current water levels for the gauges near each canoe portage and
// store a "conditions" badge (low / normal / high / flood) on the route report page.
const axios = require('axios');
const { pool } = require('../db');
const log = require('../log');

const hydro = axios.create({
  baseURL: process.env.HYDRO_API_URL || 'https://hydrometric.example.gov/api/v2',
  headers: { 'X-Api-Key': process.env.HYDRO_API_KEY, Accept: 'application/json' },
});

const MAX_ATTEMPTS = 6;
const RETRY_DELAY_MS = 1000;
const BATCH = 200;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function classify(levelM, thresholds) {
  if (levelM == null) return 'unknown';
  if (levelM >= thresholds.flood) return 'flood';
  if (levelM >= thresholds.high) return 'high';
  if (levelM <= thresholds.low) return 'low';
  return 'normal';
}

async function fetchGaugeReadings(gaugeIds) {
  let attempt = 0;
  while (attempt < MAX_ATTEMPTS) {
    attempt += 1;
    try {
      const { data } = await hydro.get('/readings/latest', {
        params: { stations: gaugeIds.join(','), parameter: 'water_level' },
      });
      return new Map(data.readings.map((r) => [r.station, r.value]));
    } catch (err) {
      const status = err.response && err.response.status;
      if (status && status < 500 && status !== 429) throw err;
      log.warn({ attempt, status }, 'hydro API call failed, retrying');
      await sleep(RETRY_DELAY_MS);
    }
  }
  throw new Error(`hydro API unavailable after ${MAX_ATTEMPTS} attempts`);
}

async function refreshBatch(routes) {
  const gaugeIds = [...new Set(routes.map((r) => r.gauge_id))];
  const readings = await fetchGaugeReadings(gaugeIds);

  const ids = [];
  const levels = [];
  const badges = [];
  for (const route of routes) {
    const level = readings.get(route.gauge_id) ?? null;
    ids.push(route.id);
    levels.push(level);
    badges.push(classify(level, route.thresholds));
  }

  await pool.query(
    `UPDATE portage_routes AS pr
        SET water_level_m = u.level, conditions = u.badge, conditions_at = now()
       FROM unnest($1::int[], $2::numeric[], $3::text[]) AS u(id, level, badge)
      WHERE pr.id = u.id`,
    [ids, levels, badges]
  );
}

async function refreshPortageConditions() {
  let lastId = 0;
  let total = 0;
  for (;;) {
    const { rows } = await pool.query(
      `SELECT id, gauge_id, thresholds
         FROM portage_routes
        WHERE gauge_id IS NOT NULL AND id > $1
        ORDER BY id
        LIMIT $2`,
      [lastId, BATCH]
    );
    if (rows.length === 0) break;
    await refreshBatch(rows);
    total += rows.length;
    lastId = rows[rows.length - 1].id;
  }
  log.info({ total }, 'portage conditions refreshed');
}

module.exports = { refreshPortageConditions };
