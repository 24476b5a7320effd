// api/harp-tuning/appointments.js
// Booking API for harp tuning appointments (pedal and lever harps).
// harp-api runs as 3 replicas behind the load balancer (deploy/harp-api.yaml).

const express = require('express');
const { Pool } = require('pg');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 3000,
  idleTimeoutMillis: 30000,
  statement_timeout: 5000,
});

const router = express.Router();

// --- simple sliding-window limiter for the public booking form -------------
const WINDOW_MS = 60_000;
const MAX_REQUESTS = 10;
const hits = new Map(); // ip -> array of timestamps

function clientIp(req) {
  const forwarded = req.headers['x-forwarded-for'];
  return forwarded ? forwarded.split(',')[0].trim() : req.socket.remoteAddress;
}

function bookingLimiter(req, res, next) {
  const ip = clientIp(req);
  const now = Date.now();
  const recent = (hits.get(ip) || []).filter((t) => now - t < WINDOW_MS);
  if (recent.length >= MAX_REQUESTS) {
    res.set('Retry-After', String(Math.ceil(WINDOW_MS / 1000)));
    return res.status(429).json({ error: 'Too many booking attempts, try again shortly' });
  }
  recent.push(now);
  hits.set(ip, recent);
  next();
}

// drop idle entries every few minutes
setInterval(() => {
  const now = Date.now();
  for (const [ip, stamps] of hits) {
    if (stamps.every((t) => now - t >= WINDOW_MS)) hits.delete(ip);
  }
}, 5 * 60_000).unref();

// --- routes ----------------------------------------------------------------

// POST /appointments { tunerId, slotStart, harpType, customerEmail }
router.post('/appointments', bookingLimiter, async (req, res, next) => {
  const { tunerId, slotStart, harpType, customerEmail } = req.body;
  if (!['pedal', 'lever', 'celtic'].includes(harpType)) {
    return res.status(400).json({ error: 'unknown harp type' });
  }
  try {
    const result = await pool.query(
      `INSERT INTO tuning_appointments (tuner_id, slot_start, harp_type, customer_email)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (tuner_id, slot_start) DO NOTHING
       RETURNING id, slot_start`,
      [tunerId, slotStart, harpType, customerEmail]
    );
    if (result.rowCount === 0) {
      return res.status(409).json({ error: 'That slot has just been taken' });
    }
    res.status(201).json(result.rows[0]);
  } catch (err) {
    next(err);
  }
});

// GET /tuners/:tunerId/slots?from=2025-03-01 — next two weeks of free slots
router.get('/tuners/:tunerId/slots', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT s.slot_start
         FROM tuner_slots s
        WHERE s.tuner_id = $1
          AND s.slot_start >= $2::date
          AND s.slot_start < $2::date + interval '14 days'
          AND NOT EXISTS (SELECT 1 FROM tuning_appointments a
                           WHERE a.tuner_id = s.tuner_id AND a.slot_start = s.slot_start)
        ORDER BY s.slot_start
        LIMIT 200`,
      [req.params.tunerId, req.query.from]
    );
    res.json(rows.map((r) => r.slot_start));
  } catch (err) {
    next(err);
  }
});

module.exports = router;
