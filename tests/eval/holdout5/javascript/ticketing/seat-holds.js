// routes/seat-holds.js
// Box office seat holds. A hold lasts 10 minutes; checkout turns the hold into a ticket.
const express = require('express');
const { Pool } = require('pg');
const { requireUser } = require('../middleware/auth');

const router = express.Router();
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

const HOLD_MINUTES = 10;

// Seat map page for the kiosk tablets at the venue entrance
router.get('/events/:eventId/seatmap', async (req, res, next) => {
  try {
    const { rows: seats } = await pool.query(
      `SELECT id, row_label, number, status
         FROM seats
        WHERE event_id = $1
        ORDER BY row_label, number`,
      [req.params.eventId]
    );
    const cells = seats
      .map((s) => {
        const color = s.status === 'available' ? 'bg-emerald-500' : 'bg-slate-400';
        return `<button data-seat="${s.id}" class="${color} rounded text-xs text-white p-1">${s.row_label}${s.number}</button>`;
      })
      .join('');
    res.send(`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Choose your seat</title>
  <script src="https://cdn.tailwindcss.com"></script>
  <script src="/static/kiosk.js" defer></script>
</head>
<body class="bg-slate-50 p-4">
  <h1 class="text-2xl font-bold mb-4">Choose your seat</h1>
  <div class="grid grid-cols-12 gap-1">${cells}</div>
</body>
</html>`);
  } catch (err) {
    next(err);
  }
});

router.post('/events/:eventId/seats/:seatId/hold', requireUser, async (req, res, next) => {
  const { eventId, seatId } = req.params;
  try {
    const { rows } = await pool.query(
      'SELECT status FROM seats WHERE id = $1 AND event_id = $2',
      [seatId, eventId]
    );
    if (rows.length === 0) return res.status(404).json({ error: 'seat not found' });
    if (rows[0].status !== 'available') {
      return res.status(409).json({ error: 'seat is no longer available' });
    }

    await pool.query("UPDATE seats SET status = 'held' WHERE id = $1", [seatId]);
    const { rows: [hold] } = await pool.query(
      `INSERT INTO seat_holds (seat_id, user_id, expires_at)
       VALUES ($1, $2, now() + make_interval(mins => $3))
       RETURNING id, expires_at`,
      [seatId, req.user.id, HOLD_MINUTES]
    );
    res.status(201).json(hold);
  } catch (err) {
    next(err);
  }
});

router.post('/holds/:holdId/checkout', requireUser, async (req, res, next) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      `UPDATE seat_holds
          SET converted_at = now()
        WHERE id = $1 AND user_id = $2
          AND converted_at IS NULL
          AND expires_at > now()
        RETURNING seat_id`,
      [req.params.holdId, req.user.id]
    );
    if (rows.length === 0) {
      await client.query('ROLLBACK');
      return res.status(410).json({ error: 'hold expired or already used' });
    }
    const seatId = rows[0].seat_id;
    await client.query("UPDATE seats SET status = 'sold' WHERE id = $1", [seatId]);
    const { rows: [ticket] } = await client.query(
      'INSERT INTO tickets (seat_id, user_id, hold_id) VALUES ($1, $2, $3) RETURNING id, seat_id',
      [seatId, req.user.id, req.params.holdId]
    );
    await client.query('COMMIT');
    res.status(201).json(ticket);
  } catch (err) {
    await client.query('ROLLBACK');
    next(err);
  } finally {
    client.release();
  }
});

module.exports = router;
