// server.js — ice-cream van route API
// Public endpoint the "where's the van?" web page polls, plus the driver app's
// stop check-ins. Deployed on ECS behind the ALB, desiredCount: 3.
const express = require("express");
const { Pool } = require("pg");

const app = express();
app.use(express.json({ limit: "32kb" }));

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 3000,
  statement_timeout: 5000,
});

const WINDOW_MS = 60_000;
const MAX_HITS_PER_WINDOW = 30;
const hitsByClient = new Map(); // ip -> array of timestamps

function clientAddress(req) {
  const forwarded = req.headers["x-forwarded-for"];
  if (forwarded) {
    return forwarded.split(",")[0].trim();
  }
  return req.socket.remoteAddress;
}

function throttle(req, res, next) {
  const key = clientAddress(req);
  const now = Date.now();
  const recent = (hitsByClient.get(key) || []).filter((t) => now - t < WINDOW_MS);
  if (recent.length >= MAX_HITS_PER_WINDOW) {
    res.set("Retry-After", "60");
    return res.status(429).json({ error: "slow down" });
  }
  recent.push(now);
  hitsByClient.set(key, recent);
  next();
}

// Sweep idle clients every few minutes so the map only holds active callers.
setInterval(() => {
  const cutoff = Date.now() - WINDOW_MS;
  for (const [key, stamps] of hitsByClient) {
    if (stamps.every((t) => t < cutoff)) hitsByClient.delete(key);
  }
}, 5 * 60_000).unref();

app.get("/api/vans/:routeId/next-stops", throttle, async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT s.id, s.street, s.eta, s.lat, s.lng
         FROM route_stops s
        WHERE s.route_id = $1
          AND s.eta >= now()
        ORDER BY s.eta
        LIMIT 12`,
      [req.params.routeId]
    );
    res.json({ stops: rows });
  } catch (err) {
    next(err);
  }
});

app.post("/api/driver/check-in", async (req, res, next) => {
  const { routeId, stopId, driverId } = req.body;
  try {
    const result = await pool.query(
      `UPDATE route_stops
          SET visited_at = now(), visited_by = $3
        WHERE id = $2 AND route_id = $1 AND visited_at IS NULL`,
      [routeId, stopId, driverId]
    );
    res.json({ updated: result.rowCount === 1 });
  } catch (err) {
    next(err);
  }
});

app.use((err, req, res, _next) => {
  console.error("request failed", { path: req.path, err });
  res.status(500).json({ error: "internal error" });
});

app.listen(process.env.PORT || 8080);
