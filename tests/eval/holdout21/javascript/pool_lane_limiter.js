// middleware/laneBookingLimiter.js + routes/lanes.js
//
// Residents book 45-minute lane slots at the three municipal pools. The booking API
// runs as 3 replicas behind the city ingress (deploy/lanes-api.yaml), so the limiter
// below sits in front of the write endpoints to stop scripted slot grabbing.
const express = require('express');
const { Pool } = require('pg');

const db = new Pool({
  connectionString: process.env.LANES_DB_URL,
  max: 15,
  connectionTimeoutMillis: 3000,
  statement_timeout: 5000,
});

const WINDOW_MS = 60 * 1000;
const MAX_REQUESTS = 20;

// ip -> timestamps of recent requests
const recentHits = new Map();

function clientIp(req) {
  const forwarded = req.headers['x-forwarded-for'];
  if (forwarded) return forwarded.split(',')[0].trim();
  return req.socket.remoteAddress;
}

function laneBookingLimiter(req, res, next) {
  const ip = clientIp(req);
  const now = Date.now();
  const hits = (recentHits.get(ip) || []).filter((t) => now - t < WINDOW_MS);

  if (hits.length >= MAX_REQUESTS) {
    const retryAfter = Math.ceil((WINDOW_MS - (now - hits[0])) / 1000);
    res.set('Retry-After', String(retryAfter));
    return res.status(429).json({ error: 'too many booking attempts, slow down' });
  }

  hits.push(now);
  recentHits.set(ip, hits);
  next();
}

// drop idle IPs so the map doesn't keep every visitor forever
setInterval(() => {
  const cutoff = Date.now() - WINDOW_MS;
  for (const [ip, hits] of recentHits) {
    if (hits.every((t) => t < cutoff)) recentHits.delete(ip);
  }
}, WINDOW_MS).unref();

const router = express.Router();

// POST /lanes/slots/:slotId/book
router.post('/lanes/slots/:slotId/book', laneBookingLimiter, async (req, res, next) => {
  const slotId = Number(req.params.slotId);
  const residentId = req.user.residentId;

  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const taken = await client.query(
      `UPDATE lane_slots SET booked = booked + 1
        WHERE id = $1 AND booked < capacity AND starts_at > now()
        RETURNING id, pool_id, lane_no, starts_at`,
      [slotId]
    );
    if (taken.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(409).json({ error: 'slot full or already started' });
    }
    await client.query(
      'INSERT INTO lane_bookings (slot_id, resident_id) VALUES ($1, $2)',
      [slotId, residentId]
    );
    await client.query('COMMIT');
    res.status(201).json({ booking: taken.rows[0] });
  } catch (err) {
    await client.query('ROLLBACK');
    next(err);
  } finally {
    client.release();
  }
});

module.exports = { router, laneBookingLimiter };
