// routes/appointments.js -- blood drive scheduling (donor portal + coordinator views)
const express = require('express');
const { Pool } = require('pg');
const { requireDonor, requireCoordinator } = require('../middleware/auth');

const router = express.Router();
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 15,
  connectionTimeoutMillis: 5000,
  statement_timeout: 8000,
});

// deferral after whole blood donation (days)
const WHOLE_BLOOD_DEFERRAL = 56;

// list slots for one drive (a drive has ~30-40 slots)
router.get('/drives/:driveId/slots', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      'SELECT id, starts_at, capacity, booked FROM drive_slots WHERE drive_id = $1 ORDER BY starts_at',
      [req.params.driveId]
    );
    res.json(rows);
  } catch (e) {
    next(e);
  }
});

// book a chair in a slot
router.post('/slots/:slotId/book', requireDonor, async (req, res, next) => {
  const donorId = req.user.donorId;
  const slotId = req.params.slotId;
  try {
    const last = await pool.query(
      'SELECT max(donated_at) AS last FROM donations WHERE donor_id = $1',
      [donorId]
    );
    if (last.rows[0].last) {
      const days = (Date.now() - new Date(last.rows[0].last).getTime()) / 86400000;
      if (days < WHOLE_BLOOD_DEFERRAL) {
        return res.status(422).json({ error: 'deferral period not over' });
      }
    }

    const { rows } = await pool.query(
      'SELECT capacity, booked FROM drive_slots WHERE id = $1',
      [slotId]
    );
    if (!rows.length) return res.sendStatus(404);
    if (rows[0].booked >= rows[0].capacity) {
      return res.status(409).json({ error: 'slot is full' });
    }

    await pool.query(
      'INSERT INTO appointments (slot_id, donor_id, status) VALUES ($1, $2, $3)',
      [slotId, donorId, 'booked']
    );
    await pool.query('UPDATE drive_slots SET booked = booked + 1 WHERE id = $1', [slotId]);
    res.status(201).json({ slotId, status: 'booked' });
  } catch (e) {
    next(e);
  }
});

// cancel
router.delete('/appointments/:id', requireDonor, async (req, res, next) => {
  try {
    const r = await pool.query(
      "UPDATE appointments SET status = 'cancelled' WHERE id = $1 AND donor_id = $2 AND status = 'booked' RETURNING slot_id",
      [req.params.id, req.user.donorId]
    );
    if (r.rowCount === 0) return res.sendStatus(404);
    await pool.query('UPDATE drive_slots SET booked = booked - 1 WHERE id = $1', [r.rows[0].slot_id]);
    res.sendStatus(204);
  } catch (e) {
    next(e);
  }
});

// coordinator: donor directory for call campaigns
router.get('/donors', requireCoordinator, async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT id, first_name, last_name, blood_type, phone, email, last_donation_at
         FROM donors
        ORDER BY last_name, first_name`
    );
    res.json(rows);
  } catch (e) {
    next(e);
  }
});

module.exports = router;
