// Greenhouse sensor ingestion and recent-readings API.
// Gateways in each glasshouse push batches every 60 s; the grower dashboard pages
// backwards through readings with ?before=<timestamp>.
const express = require('express');
const { Pool } = require('pg');
const { requireSiteKey } = require('../middleware/siteKey'); // sets req.site = { orgId, keyId }

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 15,
  connectionTimeoutMillis: 3000,
  statement_timeout: 8000,
});

const MAX_BATCH = 500;
const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;
const METRICS = new Set(['air_temp_c', 'soil_moisture_pct', 'humidity_pct', 'par_umol', 'co2_ppm']);

const router = express.Router();
router.use(requireSiteKey);

async function assertGreenhouseInOrg(greenhouseId, orgId) {
  const { rowCount } = await pool.query(
    'SELECT 1 FROM greenhouses WHERE id = $1 AND org_id = $2',
    [greenhouseId, orgId]
  );
  return rowCount === 1;
}

router.post('/greenhouses/:greenhouseId/readings', async (req, res, next) => {
  const { greenhouseId } = req.params;
  const readings = Array.isArray(req.body.readings) ? req.body.readings : [];

  if (readings.length === 0 || readings.length > MAX_BATCH) {
    return res.status(400).json({ error: `send between 1 and ${MAX_BATCH} readings per batch` });
  }
  const invalid = readings.find((r) => !METRICS.has(r.metric) || !Number.isFinite(r.value));
  if (invalid) {
    return res.status(400).json({ error: 'unknown metric or non-numeric value', reading: invalid });
  }

  try {
    if (!(await assertGreenhouseInOrg(greenhouseId, req.site.orgId))) {
      return res.status(404).json({ error: 'greenhouse not found' });
    }

    // One round trip for the whole batch. Gateways resend after a dropped
    // connection, so the (greenhouse, sensor, metric, taken_at) key absorbs repeats.
    const result = await pool.query(
      `INSERT INTO sensor_readings (org_id, greenhouse_id, sensor_id, metric, value, taken_at)
       SELECT $1, $2, r.sensor_id, r.metric, r.value, r.taken_at
         FROM unnest($3::text[], $4::text[], $5::float8[], $6::timestamptz[])
              AS r(sensor_id, metric, value, taken_at)
       ON CONFLICT (greenhouse_id, sensor_id, metric, taken_at) DO NOTHING`,
      [
        req.site.orgId,
        greenhouseId,
        readings.map((r) => r.sensorId),
        readings.map((r) => r.metric),
        readings.map((r) => r.value),
        readings.map((r) => r.takenAt),
      ]
    );

    res.status(201).json({ received: readings.length, stored: result.rowCount });
  } catch (err) {
    next(err);
  }
});

router.get('/greenhouses/:greenhouseId/readings', async (req, res, next) => {
  const { greenhouseId } = req.params;
  const limit = Math.min(Number.parseInt(req.query.limit, 10) || DEFAULT_PAGE, MAX_PAGE);
  const before = req.query.before ? new Date(req.query.before) : new Date();
  if (Number.isNaN(before.getTime())) {
    return res.status(400).json({ error: 'before must be an ISO timestamp' });
  }

  try {
    const { rows } = await pool.query(
      `SELECT sensor_id, metric, value, taken_at
         FROM sensor_readings
        WHERE org_id = $1 AND greenhouse_id = $2 AND taken_at < $3
        ORDER BY taken_at DESC
        LIMIT $4`,
      [req.site.orgId, greenhouseId, before, limit]
    );

    res.json({
      readings: rows,
      nextBefore: rows.length === limit ? rows[rows.length - 1].taken_at : null,
    });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
