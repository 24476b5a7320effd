// routes/classBooking.js
// Class booking endpoints for the member app (spin, yoga, HIIT).
const express = require('express');
const { Pool } = require('pg');
const { requireMember } = require('../middleware/auth');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 20,
  idleTimeoutMillis: 30000,
  statement_timeout: 5000,
});

const router = express.Router();

// ---- data helpers ---------------------------------------------------------

async function getClassWithBookedCount(classId) {
  const { rows } = await pool.query(
    `SELECT c.id, c.capacity, c.starts_at,
            (SELECT COUNT(*) FROM bookings b WHERE b.class_id = c.id AND b.status = 'booked') AS booked
       FROM gym_classes c
      WHERE c.id = $1`,
    [classId]
  );
  return rows[0];
}

async function insertBooking(classId, memberId) {
  const { rows } = await pool.query(
    `INSERT INTO bookings (class_id, member_id, status, created_at)
     VALUES ($1, $2, 'booked', now())
     RETURNING id`,
    [classId, memberId]
  );
  return rows[0].id;
}

async function hasActiveMembership(memberId) {
  const { rows } = await pool.query(
    `SELECT 1 FROM memberships WHERE member_id = $1 AND ends_on >= current_date LIMIT 1`,
    [memberId]
  );
  return rows.length > 0;
}

// ---- routes ---------------------------------------------------------------

router.post('/classes/:classId/book', requireMember, async (req, res, next) => {
  try {
    const classId = Number(req.params.classId);
    const memberId = req.member.id;

    if (!(await hasActiveMembership(memberId))) {
      return res.status(403).json({ error: 'membership_expired' });
    }

    const gymClass = await getClassWithBookedCount(classId);
    if (!gymClass) return res.status(404).json({ error: 'class_not_found' });

    if (Number(gymClass.booked) >= gymClass.capacity) {
      return res.status(409).json({ error: 'class_full' });
    }

    const bookingId = await insertBooking(classId, memberId);
    res.status(201).json({ bookingId });
  } catch (err) {
    next(err);
  }
});

// Instructor view: roster with member names
router.get('/classes/:classId/roster', requireMember, async (req, res, next) => {
  try {
    const { rows: bookings } = await pool.query(
      `SELECT id, member_id, status FROM bookings WHERE class_id = $1 ORDER BY created_at`,
      [req.params.classId]
    );

    const roster = [];
    for (const b of bookings) {
      const { rows } = await pool.query(
        'SELECT first_name, last_name, photo_url FROM members WHERE id = $1',
        [b.member_id]
      );
      roster.push({ bookingId: b.id, status: b.status, ...rows[0] });
    }
    res.json(roster);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
