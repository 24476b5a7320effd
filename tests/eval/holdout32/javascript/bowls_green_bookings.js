// server.js - bowls club green bookings API
// Runs under pm2 in cluster mode (pm2 start server.js -i 4) behind the club's nginx.
const express = require('express');
const { Pool } = require('pg');

const app = express();
app.use(express.json());

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 5000,
});

// Members were hammering the "book" button on Saturday mornings when the
// next week's rinks open, so cap booking attempts per address.
const WINDOW_MS = 60 * 1000;
const MAX_ATTEMPTS = 10;
const attempts = new Map();

setInterval(() => {
  const cutoff = Date.now() - WINDOW_MS;
  for (const [key, entry] of attempts) {
    if (entry.windowStart < cutoff) attempts.delete(key);
  }
}, WINDOW_MS).unref();

function clientAddress(req) {
  const forwarded = req.headers['x-forwarded-for'];
  return forwarded ? forwarded.split(',')[0].trim() : req.socket.remoteAddress;
}

function bookingLimiter(req, res, next) {
  const key = clientAddress(req);
  const now = Date.now();
  const entry = attempts.get(key);
  if (!entry || now - entry.windowStart > WINDOW_MS) {
    attempts.set(key, { windowStart: now, count: 1 });
    return next();
  }
  entry.count += 1;
  if (entry.count > MAX_ATTEMPTS) {
    return res.status(429).json({ error: 'Too many booking attempts, try again in a minute' });
  }
  next();
}

app.post('/clubs/:clubId/greens/:greenId/bookings', bookingLimiter, async (req, res, next) => {
  const { clubId, greenId } = req.params;
  const { memberId, rink, slotStart } = req.body;
  try {
    // bookings has UNIQUE (green_id, rink, slot_start), so the database settles ties.
    const { rows } = await pool.query(
      `INSERT INTO green_bookings (club_id, green_id, rink, slot_start, member_id)
       SELECT $1, g.id, $3, $4, $5 FROM greens g WHERE g.id = $2 AND g.club_id = $1
       RETURNING id, rink, slot_start`,
      [clubId, greenId, rink, slotStart, memberId]
    );
    if (rows.length === 0) return res.status(404).json({ error: 'Green not found' });
    res.status(201).json(rows[0]);
  } catch (err) {
    if (err.code === '23505') {
      return res.status(409).json({ error: 'That rink is already booked for this slot' });
    }
    next(err);
  }
});

app.use((err, req, res, _next) => {
  console.error(err);
  res.status(500).json({ error: 'Internal error' });
});

app.listen(process.env.PORT || 3000);
