// fleet-charging-api/server.js
// express@5 (async errors reach the error handler)
// helm values: replicaCount: 4, ingress-nginx in front (uses X-Forwarded-For)

const express = require('express');
const { Pool } = require('pg');
const pino = require('pino-http');

const app = express();
app.use(express.json());
app.use(pino());

const pool = new Pool({ connectionString: process.env.PG_URL, max: 20, idleTimeoutMillis: 30000 });

// ---- simple fixed-window limiter: 120 req/min per client ----
const WINDOW_MS = 60_000;
const LIMIT = 120;
const hits = new Map(); // ip -> { count, windowStart }

setInterval(() => {
  const now = Date.now();
  for (const [k, v] of hits) if (now - v.windowStart > WINDOW_MS) hits.delete(k);
}, WINDOW_MS).unref();

function rateLimit(req, res, next) {
  const ip = (req.headers['x-forwarded-for'] || '').split(',')[0].trim() || req.socket.remoteAddress;
  const now = Date.now();
  let e = hits.get(ip);
  if (!e || now - e.windowStart > WINDOW_MS) {
    e = { count: 0, windowStart: now };
    hits.set(ip, e);
  }
  e.count++;
  if (e.count > LIMIT) return res.status(429).json({ error: 'slow down' });
  next();
}

app.use('/api', rateLimit);

// fleet manager dashboard tiles - refreshed by the SPA every 30s
app.get('/api/fleets/:fleetId/dashboard', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT v.id AS vehicle_id, v.plate,
              COUNT(s.id)                     AS sessions,
              COALESCE(SUM(s.kwh_delivered),0) AS kwh,
              COALESCE(SUM(s.cost_cents),0)    AS cost_cents,
              MAX(s.ended_at)                  AS last_charge
         FROM vehicles v
         LEFT JOIN charging_sessions s ON s.vehicle_id = v.id AND s.fleet_id = v.fleet_id
        WHERE v.fleet_id = $1
        GROUP BY v.id, v.plate
        ORDER BY kwh DESC`,
      [req.params.fleetId]
    );
    res.json({ vehicles: rows });
  } catch (err) {
    next(err);
  }
});

app.get('/api/fleets/:fleetId/sessions', async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit) || 50, 200);
  const before = req.query.before || new Date().toISOString();
  try {
    const { rows } = await pool.query(
      `SELECT id, vehicle_id, charger_id, started_at, ended_at, kwh_delivered
         FROM charging_sessions
        WHERE fleet_id = $1 AND started_at < $2
        ORDER BY started_at DESC
        LIMIT $3`,
      [req.params.fleetId, before, limit]
    );
    res.json({ sessions: rows, next: rows.length ? rows[rows.length - 1].started_at : null });
  } catch (err) {
    req.log.error({ err }, 'session list failed');
    throw err;
  }
});

app.use((err, req, res, _next) => {
  req.log.error({ err }, 'unhandled');
  res.status(500).json({ error: 'internal' });
});

app.listen(process.env.PORT || 8080);
