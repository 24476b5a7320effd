// jobs/syncFeederCounts.js
//
// Pulls red squirrel visit counts from the FeederCam cloud for all our survey
// sites and stores them in our Postgres so the volunteers' dashboard can chart
// them. Scheduled by node-cron in worker.js every 15 minutes.

const axios = require('axios');
const { pool } = require('../db');
const logger = require('../logger');

const feederApi = axios.create({
  baseURL: process.env.FEEDERCAM_BASE_URL || 'https://api.feedercam.example/v2',
  headers: { Authorization: `Bearer ${process.env.FEEDERCAM_TOKEN}` },
});

const MAX_ATTEMPTS = 5;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function fetchVisits(since) {
  let lastErr;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      // Account-wide endpoint: every site and feeder we own, oldest first.
      const { data } = await feederApi.get('/account/visits', {
        params: { since: since.toISOString(), species: 'sciurus_vulgaris', limit: 5000 },
      });
      return data.visits; // [{ siteCode, feederId, hour, count, greyCount }]
    } catch (err) {
      lastErr = err;
      logger.warn({ attempt, status: err.response?.status }, 'feedercam fetch failed');
      await sleep(2000);
    }
  }
  throw lastErr;
}

async function storeCounts(visits) {
  if (visits.length === 0) return 0;

  // One round trip: unnest the arrays and upsert on (feeder_id, hour).
  const { rowCount } = await pool.query(
    `INSERT INTO feeder_counts (site_code, feeder_id, hour, red_count, grey_count)
     SELECT s, f, h, r, g
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::int[]) AS t(s, f, h, r, g)
     ON CONFLICT (feeder_id, hour)
     DO UPDATE SET red_count = EXCLUDED.red_count, grey_count = EXCLUDED.grey_count`,
    [
      visits.map((v) => v.siteCode),
      visits.map((v) => v.feederId),
      visits.map((v) => v.hour),
      visits.map((v) => v.count),
      visits.map((v) => v.greyCount ?? 0),
    ]
  );
  return rowCount;
}

async function syncFeederCounts() {
  const { rows } = await pool.query(
    "SELECT synced_until FROM sync_cursors WHERE source = 'feedercam'"
  );
  const since = rows[0]?.synced_until || new Date(Date.now() - 24 * 3600 * 1000);

  const visits = await fetchVisits(since);
  const stored = await storeCounts(visits);

  if (visits.length > 0) {
    const newest = visits.reduce((max, v) => (v.hour > max ? v.hour : max), visits[0].hour);
    await pool.query(
      `INSERT INTO sync_cursors (source, synced_until) VALUES ('feedercam', $1)
       ON CONFLICT (source) DO UPDATE SET synced_until = EXCLUDED.synced_until`,
      [newest]
    );
  }
  logger.info({ stored, since }, 'feeder counts synced');
  return stored;
}

module.exports = { syncFeederCounts, fetchVisits };
