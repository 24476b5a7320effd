// routes/tideReadings.js
// Ingest + read API for the harbour tide-gauge network. Each gauge posts a
// batch of raw readings every minute; the harbour-master dashboard polls the
// latest few hours per station.
const express = require('express');
const { Pool } = require('pg');

const router = express.Router();

const pool = new Pool({
  connectionString: process.env.TIDE_DB_URL,
  max: 15,
  idleTimeoutMillis: 30_000,
  statement_timeout: 5_000,
});

const REGISTRY_URL = process.env.GAUGE_REGISTRY_URL || 'https://gauges.harbour-registry.example';

// Chart-datum corrections are published per station per day by the survey
// office; remember the ones we've already looked up so ingest stays fast.
const datumCorrections = new Map();

async function getDatumCorrection(stationId, day) {
  const key = `${stationId}:${day}`;
  if (datumCorrections.has(key)) {
    return datumCorrections.get(key);
  }
  const res = await fetch(`${REGISTRY_URL}/v2/stations/${encodeURIComponent(stationId)}/datum?day=${day}`, {
    headers: {
      Accept: 'application/json',
      Authorization: `Bearer ${process.env.REGISTRY_TOKEN}`,
    },
  });
  if (!res.ok) {
    throw new Error(`datum lookup failed for ${stationId} (${res.status})`);
  }
  const { offsetMetres } = await res.json();
  datumCorrections.set(key, offsetMetres);
  return offsetMetres;
}

function isValidReading(r) {
  return r && typeof r.observedAt === 'string' && Number.isFinite(Number(r.levelMetres));
}

router.post('/stations/:stationId/readings', async (req, res, next) => {
  const { stationId } = req.params;
  const readings = Array.isArray(req.body?.readings) ? req.body.readings : [];
  if (readings.length === 0 || readings.length > 600 || !readings.every(isValidReading)) {
    return res.status(400).json({ error: 'expected 1-600 well-formed readings' });
  }

  try {
    const day = readings[0].observedAt.slice(0, 10);
    const offset = await getDatumCorrection(stationId, day);

    const observedAt = readings.map((r) => r.observedAt);
    const levels = readings.map((r) => Number(r.levelMetres) + offset);
    const quality = readings.map((r) => r.qualityFlag ?? 0);

    // One round trip for the whole batch; gauges resend on flaky links, so
    // duplicates are ignored by the (station_id, observed_at) key.
    await pool.query(
      `INSERT INTO tide_readings (station_id, observed_at, level_m, quality_flag)
       SELECT $1, t.observed_at, t.level_m, t.quality_flag
         FROM unnest($2::timestamptz[], $3::float8[], $4::int[]) AS t(observed_at, level_m, quality_flag)
       ON CONFLICT (station_id, observed_at) DO NOTHING`,
      [stationId, observedAt, levels, quality],
    );
    res.status(202).json({ accepted: readings.length });
  } catch (err) {
    next(err);
  }
});

router.get('/stations/:stationId/latest', async (req, res, next) => {
  const hours = Math.min(Number(req.query.hours) || 6, 24);
  try {
    const { rows } = await pool.query(
      `SELECT observed_at, level_m, quality_flag
         FROM tide_readings
        WHERE station_id = $1
          AND observed_at > now() - make_interval(hours => $2)
        ORDER BY observed_at DESC
        LIMIT 1440`,
      [req.params.stationId, hours],
    );
    res.json({ stationId: req.params.stationId, hours, readings: rows });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
