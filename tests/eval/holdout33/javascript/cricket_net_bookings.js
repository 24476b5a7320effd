// routes/netBookings.js
// Practice-net booking API for the village cricket club app. Members book a
// 30-minute lane in the nets; a lane takes at most two batters per slot
// (one batting, one padded up and waiting).
const express = require('express');
const { Pool } = require('pg');
const { requireMember } = require('../middleware/auth');
const mailer = require('../lib/mailer');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 3000,
  statement_timeout: 5000,
});

const router = express.Router();
const MAX_BATTERS_PER_LANE = 2;

// Availability grid for one evening, grouped by lane and start time.
router.get('/nets/:date', requireMember, async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT lane_no, slot_start, COUNT(*)::int AS booked
         FROM net_bookings
        WHERE club_id = $1 AND slot_date = $2
        GROUP BY lane_no, slot_start
        ORDER BY slot_start, lane_no`,
      [req.member.clubId, req.params.date]
    );
    res.json({ date: req.params.date, slots: rows });
  } catch (err) {
    next(err);
  }
});

router.post('/nets/book', requireMember, async (req, res, next) => {
  const { laneNo, slotDate, slotStart } = req.body;
  const { clubId, id: memberId } = req.member;

  if (!Number.isInteger(laneNo) || laneNo < 1 || laneNo > 3) {
    return res.status(400).json({ error: 'Lane must be 1, 2 or 3' });
  }

  try {
    const { rows } = await pool.query(
      'SELECT COUNT(*)::int AS taken FROM net_bookings WHERE club_id = $1 AND lane_no = $2 AND slot_date = $3 AND slot_start = $4',
      [clubId, laneNo, slotDate, slotStart]
    );

    if (rows[0].taken >= MAX_BATTERS_PER_LANE) {
      return res.status(409).json({ error: 'That lane is full for this slot' });
    }

    const inserted = await pool.query(
      `INSERT INTO net_bookings (club_id, member_id, lane_no, slot_date, slot_start)
       VALUES ($1, $2, $3, $4, $5)
       RETURNING id, lane_no, slot_date, slot_start`,
      [clubId, memberId, laneNo, slotDate, slotStart]
    );
    const booking = inserted.rows[0];

    try {
      await mailer.send({
        to: req.member.email,
        template: 'net-booking-confirmed',
        data: { lane: booking.lane_no, date: booking.slot_date, start: booking.slot_start },
      });
    } catch (mailErr) {
      // the booking is already visible in the app, so carry on
    }

    res.status(201).json({ booking });
  } catch (err) {
    next(err);
  }
});

router.delete('/nets/bookings/:id', requireMember, async (req, res, next) => {
  try {
    const result = await pool.query(
      'DELETE FROM net_bookings WHERE id = $1 AND club_id = $2 AND member_id = $3',
      [req.params.id, req.member.clubId, req.member.id]
    );
    if (result.rowCount === 0) {
      return res.status(404).json({ error: 'Booking not found' });
    }
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

module.exports = router;
