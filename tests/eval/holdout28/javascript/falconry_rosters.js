// server.js — falconry display rosters for county shows.
// Handlers, birds and display slots per show day. Public roster pages are linked from the
// show programmes, so the public endpoints get hammered on show mornings.
// Deployed with `pm2 start server.js -i 4` behind the nginx on the shared VM pair.
const express = require('express');
const helmet = require('helmet');
const { pool } = require('./db');
const { requireOrganiser } = require('./auth');

const app = express();
app.use(helmet());
app.use(express.json());

const WINDOW_MS = 60 * 1000;
const MAX_REQUESTS = 60;
const requestLog = new Map(); // ip -> array of timestamps

function clientIp(req) {
  const forwarded = req.headers['x-forwarded-for'];
  return forwarded ? forwarded.split(',')[0].trim() : req.socket.remoteAddress;
}

function rateLimit(req, res, next) {
  const ip = clientIp(req);
  const now = Date.now();
  const recent = (requestLog.get(ip) || []).filter((t) => now - t < WINDOW_MS);
  if (recent.length >= MAX_REQUESTS) {
    res.set('Retry-After', Math.ceil(WINDOW_MS / 1000));
    return res.status(429).json({ error: 'Too many requests' });
  }
  recent.push(now);
  requestLog.set(ip, recent);
  next();
}

app.get('/shows/:showId/roster', rateLimit, async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT d.slot_start, d.arena, h.display_name AS handler, b.name AS bird, b.species
         FROM display_slots d
         JOIN handlers h ON h.id = d.handler_id
         JOIN birds b ON b.id = d.bird_id
        WHERE d.show_id = $1 AND d.published
        ORDER BY d.slot_start
        LIMIT 200`,
      [req.params.showId]
    );
    res.set('Cache-Control', 'public, max-age=60');
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

app.post('/shows/:showId/slots', requireOrganiser, async (req, res, next) => {
  const { handlerId, birdId, arena, slotStart } = req.body;
  try {
    const { rows } = await pool.query(
      `INSERT INTO display_slots (show_id, handler_id, bird_id, arena, slot_start)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (show_id, arena, slot_start) DO NOTHING
       RETURNING id`,
      [req.params.showId, handlerId, birdId, arena, slotStart]
    );
    if (rows.length === 0) {
      return res.status(409).json({ error: 'That arena slot is already taken' });
    }
    res.status(201).json({ id: rows[0].id });
  } catch (err) {
    next(err);
  }
});

app.post('/shows/:showId/slots/:slotId/publish', requireOrganiser, async (req, res, next) => {
  try {
    const result = await pool.query(
      'UPDATE display_slots SET published = true WHERE id = $1 AND show_id = $2',
      [req.params.slotId, req.params.showId]
    );
    if (result.rowCount === 0) return res.status(404).end();
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

app.listen(process.env.PORT || 3000);
