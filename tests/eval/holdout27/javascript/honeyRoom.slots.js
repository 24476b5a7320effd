// honey-room/slots.js
// Booking the shared honey extraction room at the beekeepers' association apiary.
// A member first holds a slot (10 minutes to fill in the frame count), then confirms it.

const express = require('express');
const cron = require('node-cron');
const { Pool } = require('pg');
const logger = require('./logger');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 15,
  connectionTimeoutMillis: 3000,
  idleTimeoutMillis: 30000,
  statement_timeout: 5000,
});

const router = express.Router();

// POST /rooms/:roomId/holds { slotStart }
router.post('/rooms/:roomId/holds', async (req, res, next) => {
  try {
    const { rows, rowCount } = await pool.query(
      `INSERT INTO extraction_holds (room_id, slot_start, member_id, expires_at)
       VALUES ($1, $2, $3, now() + interval '10 minutes')
       ON CONFLICT (room_id, slot_start) DO UPDATE
         SET member_id = EXCLUDED.member_id, expires_at = EXCLUDED.expires_at
         WHERE extraction_holds.expires_at < now()
       RETURNING id, expires_at`,
      [req.params.roomId, req.body.slotStart, req.user.memberId]
    );
    if (rowCount === 0) return res.status(409).json({ error: 'Someone is already holding that slot' });
    res.status(201).json(rows[0]);
  } catch (err) {
    next(err);
  }
});

// POST /holds/:holdId/confirm { frames, extractor }
router.post('/holds/:holdId/confirm', async (req, res, next) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const hold = await client.query(
      `DELETE FROM extraction_holds
        WHERE id = $1 AND member_id = $2 AND expires_at > now()
        RETURNING room_id, slot_start`,
      [req.params.holdId, req.user.memberId]
    );
    if (hold.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(410).json({ error: 'Hold has expired, please pick the slot again' });
    }
    const { room_id, slot_start } = hold.rows[0];
    const booking = await client.query(
      `INSERT INTO extraction_bookings (room_id, slot_start, member_id, frames, extractor)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (room_id, slot_start) DO NOTHING
       RETURNING id`,
      [room_id, slot_start, req.user.memberId, req.body.frames, req.body.extractor]
    );
    if (booking.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(409).json({ error: 'Slot already booked' });
    }
    await client.query('COMMIT');
    res.status(201).json({ bookingId: booking.rows[0].id, roomId: room_id, slotStart: slot_start });
  } catch (err) {
    await client.query('ROLLBACK');
    next(err);
  } finally {
    client.release();
  }
});

// GET /rooms/:roomId/bookings?day=2025-08-23
router.get('/rooms/:roomId/bookings', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT slot_start, frames, extractor
         FROM extraction_bookings
        WHERE room_id = $1 AND slot_start >= $2::date AND slot_start < $2::date + 1
        ORDER BY slot_start
        LIMIT 48`,
      [req.params.roomId, req.query.day]
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// Expired holds are removed every 15 minutes (safe to run on every instance).
cron.schedule('*/15 * * * *', async () => {
  try {
    const { rowCount } = await pool.query(
      `DELETE FROM extraction_holds WHERE expires_at < now() - interval '1 hour'`
    );
    logger.info({ rowCount }, 'purged expired extraction holds');
  } catch (err) {
    logger.error({ err }, 'failed to purge expired extraction holds');
  }
});

module.exports = router;
