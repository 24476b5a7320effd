// telemetry-ingest/server.js
// Receives batched sensor readings from the cold-chain gateways (reefer trucks, warehouse freezers).
// k8s: Deployment "telemetry-ingest", replicas: 3, behind the nginx ingress controller.

const express = require('express');
const mysql = require('mysql2/promise');
const pino = require('pino');

const log = pino({ level: process.env.LOG_LEVEL || 'info' });
const app = express();
app.use(express.json({ limit: '512kb' }));

const dbConfig = {
  host: process.env.MYSQL_HOST,
  user: process.env.MYSQL_USER,
  password: process.env.MYSQL_PASSWORD,
  database: 'telemetry',
  connectTimeout: 5000,
};

// --- simple throttling so a misbehaving gateway can't flood us ---
const WINDOW_MS = 60_000;
const MAX_BATCHES_PER_WINDOW = 120;
const buckets = new Map(); // ip -> { count, resetAt }

setInterval(() => {
  const now = Date.now();
  for (const [key, b] of buckets) if (b.resetAt <= now) buckets.delete(key);
}, WINDOW_MS).unref();

function throttle(req, res, next) {
  const clientIp = (req.get('x-forwarded-for') || '').split(',')[0].trim() || req.socket.remoteAddress;
  const now = Date.now();
  let b = buckets.get(clientIp);
  if (!b || b.resetAt <= now) {
    b = { count: 0, resetAt: now + WINDOW_MS };
    buckets.set(clientIp, b);
  }
  b.count += 1;
  if (b.count > MAX_BATCHES_PER_WINDOW) {
    res.set('Retry-After', Math.ceil((b.resetAt - now) / 1000));
    return res.status(429).json({ error: 'too many batches' });
  }
  next();
}

async function getDb() {
  return mysql.createConnection(dbConfig);
}

app.post('/v1/readings', throttle, async (req, res) => {
  const { gatewayId, readings } = req.body || {};
  if (!gatewayId || !Array.isArray(readings) || readings.length === 0) {
    return res.status(400).json({ error: 'gatewayId and readings[] required' });
  }
  if (readings.length > 2000) return res.status(413).json({ error: 'batch too large' });

  const rows = readings.map((r) => [gatewayId, r.sensorId, r.metric, r.value, new Date(r.ts)]);
  const conn = await getDb();
  try {
    await conn.query(
      'INSERT INTO readings (gateway_id, sensor_id, metric, value, recorded_at) VALUES ?',
      [rows]
    );
    await conn.query('UPDATE gateways SET last_seen_at = NOW() WHERE id = ?', [gatewayId]);
    res.status(202).json({ accepted: rows.length });
  } catch (err) {
    log.error({ err, gatewayId }, 'failed to store readings');
    res.status(500).json({ error: 'storage error' });
  } finally {
    await conn.end();
  }
});

app.get('/v1/sensors/:sensorId/latest', throttle, async (req, res) => {
  const conn = await getDb();
  try {
    const [rows] = await conn.query(
      'SELECT metric, value, recorded_at FROM readings WHERE sensor_id = ? ORDER BY recorded_at DESC LIMIT 1',
      [req.params.sensorId]
    );
    if (!rows.length) return res.status(404).end();
    res.json(rows[0]);
  } finally {
    await conn.end();
  }
});

app.get('/healthz', (_req, res) => res.send('ok'));

app.listen(process.env.PORT || 8080, () => log.info('telemetry-ingest up'));
