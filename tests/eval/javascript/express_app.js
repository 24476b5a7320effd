'use strict';
// Ticketing API. Runs as 4 pm2 instances (cluster mode) on each of 2 hosts.
const express = require('express');
const helmet = require('helmet');
const { Pool } = require('pg');

const app = express();
app.use(helmet());
app.use(express.json({ limit: '100kb' }));

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

// --- rate limiting -----------------------------------------------------------
const WINDOW_MS = 60_000;
const LIMIT = 30;
const hits = new Map();

function rateLimit(req, res, next) {
  const ip = req.headers['x-forwarded-for']?.split(',')[0].trim() || req.socket.remoteAddress;
  const now = Date.now();
  const entry = hits.get(ip) || { count: 0, start: now };
  if (now - entry.start > WINDOW_MS) {
    entry.count = 0;
    entry.start = now;
  }
  entry.count += 1;
  hits.set(ip, entry);
  if (entry.count > LIMIT) {
    return res.status(429).json({ error: 'Too many requests' });
  }
  next();
}

app.use('/api', rateLimit);

// --- tickets -----------------------------------------------------------------
app.get('/api/events/:id/tickets', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      'SELECT id, tier, price_cents, status FROM tickets WHERE event_id = $1 ORDER BY tier, id LIMIT 500',
      [req.params.id],
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

app.post('/api/tickets/:id/purchase', async (req, res, next) => {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT status, price_cents FROM tickets WHERE id = $1', [req.params.id]);
    if (rows.length === 0) return res.status(404).json({ error: 'not found' });
    if (rows[0].status !== 'available') return res.status(409).json({ error: 'sold' });
    await client.query('UPDATE tickets SET status = $1, buyer_id = $2 WHERE id = $3', [
      'sold',
      req.body.userId,
      req.params.id,
    ]);
    res.status(201).json({ ticketId: req.params.id, charged: rows[0].price_cents });
  } catch (err) {
    next(err);
  } finally {
    client.release();
  }
});

app.use((err, req, res, _next) => {
  console.error(err);
  res.status(500).json({ error: 'internal error' });
});

app.listen(process.env.PORT || 3000);
