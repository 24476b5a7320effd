// Glacier melt sensor ingest API (Express). Several research projects share the
// deployment; every sensor, gateway and reading belongs to exactly one project.
// Runs as 4 pods; nothing here keeps per-request state in memory besides the
// small bounded API-key cache.
const crypto = require('crypto');
const express = require('express');
const { LRUCache } = require('lru-cache');
const { Pool } = require('pg');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 15,
  connectionTimeoutMillis: 3000,
  statement_timeout: 8000,
});

// gateway key hash -> { gatewayId, projectId }; short TTL so revoked keys stop working quickly
const gatewayKeys = new LRUCache({ max: 2000, ttl: 60_000 });

const app = express();
app.use(express.json({ limit: '1mb' }));

async function authenticateGateway(req, res, next) {
  const key = req.get('authorization')?.replace(/^Bearer /, '');
  if (!key) return res.status(401).end();
  const hash = crypto.createHash('sha256').update(key).digest('hex');
  try {
    let gw = gatewayKeys.get(hash);
    if (!gw) {
      const { rows } = await pool.query(
        'SELECT id AS "gatewayId", project_id AS "projectId" FROM gateways WHERE key_hash = $1 AND revoked_at IS NULL',
        [hash],
      );
      if (rows.length === 0) return res.status(401).end();
      gw = rows[0];
      gatewayKeys.set(hash, gw);
    }
    req.gateway = gw;
    next();
  } catch (err) {
    next(err);
  }
}

// POST /readings  { readings: [{ sensorId, takenAt, meltMm, surfaceTempC }] }
app.post('/readings', authenticateGateway, async (req, res, next) => {
  const readings = Array.isArray(req.body.readings) ? req.body.readings.slice(0, 5000) : [];
  if (readings.length === 0) return res.status(400).json({ error: 'no readings' });
  try {
    // One statement for the whole batch; sensors not owned by the gateway's project are dropped,
    // and (sensor_id, taken_at) is unique so gateway re-sends are no-ops.
    const { rowCount } = await pool.query(
      `INSERT INTO melt_readings (project_id, sensor_id, taken_at, melt_mm, surface_temp_c)
       SELECT s.project_id, r.sensor_id, r.taken_at, r.melt_mm, r.surface_temp_c
         FROM unnest($2::text[], $3::timestamptz[], $4::real[], $5::real[])
              AS r(sensor_id, taken_at, melt_mm, surface_temp_c)
         JOIN sensors s ON s.id = r.sensor_id AND s.project_id = $1
       ON CONFLICT (sensor_id, taken_at) DO NOTHING`,
      [
        req.gateway.projectId,
        readings.map((r) => r.sensorId),
        readings.map((r) => r.takenAt),
        readings.map((r) => r.meltMm),
        readings.map((r) => r.surfaceTempC),
      ],
    );
    res.status(202).json({ accepted: rowCount, received: readings.length });
  } catch (err) {
    next(err);
  }
});

// GET /sensors/:sensorId/readings?after=2024-07-01T00:00:00Z&limit=500
app.get('/sensors/:sensorId/readings', authenticateGateway, async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit) || 500, 2000);
  const after = req.query.after || '1970-01-01T00:00:00Z';
  try {
    const { rows } = await pool.query(
      `SELECT taken_at, melt_mm, surface_temp_c
         FROM melt_readings
        WHERE project_id = $1 AND sensor_id = $2 AND taken_at > $3
        ORDER BY taken_at
        LIMIT $4`,
      [req.gateway.projectId, req.params.sensorId, after, limit],
    );
    const next_after = rows.length === limit ? rows[rows.length - 1].taken_at : null;
    res.json({ readings: rows, next_after });
  } catch (err) {
    next(err);
  }
});

module.exports = app;
