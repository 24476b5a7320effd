// routes/seatHolds.js
// Seat reservation endpoints for the box-office app.
// A hold keeps a seat for 10 minutes while the buyer goes through checkout.

const express = require('express');
const { pool } = require('../db'); // shared pg Pool
const { requireUser } = require('../auth');

const router = express.Router();
const HOLD_MINUTES = 10;

// POST /events/:eventId/seats/:seatId/hold
router.post('/events/:eventId/seats/:seatId/hold', requireUser, async (req, res, next) => {
  const { eventId, seatId } = req.params;
  const userId = req.user.id;

  try {
    // Make sure nobody else is holding (or has bought) the seat
    const { rows } = await pool.query(
      `SELECT id, user_id FROM seat_holds
        WHERE event_id = $1 AND seat_id = $2 AND expires_at > now()`,
      [eventId, seatId]
    );

    if (rows.length > 0 && rows[0].user_id !== userId) {
      return res.status(409).json({ error: 'Seat is already held' });
    }
    if (rows.length > 0) {
      // already ours, just return it
      return res.json({ holdId: rows[0].id });
    }

    const insert = await pool.query(
      `INSERT INTO seat_holds (event_id, seat_id, user_id, expires_at)
       VALUES ($1, $2, $3, now() + ($4 || ' minutes')::interval)
       RETURNING id, expires_at`,
      [eventId, seatId, userId, HOLD_MINUTES]
    );

    res.status(201).json({ holdId: insert.rows[0].id, expiresAt: insert.rows[0].expires_at });
  } catch (err) {
    next(err);
  }
});

// DELETE /holds/:holdId  -- buyer gave up
router.delete('/holds/:holdId', requireUser, async (req, res, next) => {
  try {
    const result = await pool.query(
      'DELETE FROM seat_holds WHERE id = $1 AND user_id = $2',
      [req.params.holdId, req.user.id]
    );
    if (result.rowCount === 0) return res.status(404).end();
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

// GET /events/:eventId/seats/held  -- used by the seat map to grey out seats
router.get('/events/:eventId/seats/held', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT seat_id FROM seat_holds
        WHERE event_id = $1 AND expires_at > now()`,
      [req.params.eventId]
    );
    res.json(rows.map((r) => r.seat_id));
  } catch (err) {
    next(err);
  }
});

module.exports = router;
