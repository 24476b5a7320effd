// routes/kilnSlots.js
// Firing-slot reservations for the shared studio kilns. Members pick a kiln and a
// start time from the published calendar; each firing slot holds a fixed number of shelves.
const express = require('express');
const { pool } = require('../db');
const { requireMember } = require('../middleware/auth');
const { notifyKilnTech } = require('../services/notifications');

const router = express.Router();

const SLOT_HOURS = 12;

function parseSlotStart(value) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  // Slots always begin on the hour in studio local time
  d.setMinutes(0, 0, 0);
  return d;
}

router.post('/kilns/:kilnId/slots', requireMember, async (req, res, next) => {
  const kilnId = Number(req.params.kilnId);
  const slotStart = parseSlotStart(req.body.slotStart);
  const shelves = Math.max(1, Number(req.body.shelves) || 1);

  if (!slotStart) {
    return res.status(400).json({ error: 'slotStart must be an ISO timestamp' });
  }

  try {
    const { rows: kilnRows } = await pool.query(
      'SELECT id, name, shelf_capacity, cone_max FROM kilns WHERE id = $1 AND active',
      [kilnId]
    );
    if (kilnRows.length === 0) {
      return res.status(404).json({ error: 'Kiln not found' });
    }
    const kiln = kilnRows[0];

    const { rows: usage } = await pool.query(
      'SELECT COALESCE(SUM(shelves), 0)::int AS used FROM kiln_reservations WHERE kiln_id = $1 AND slot_start = $2 AND cancelled_at IS NULL',
      [kilnId, slotStart]
    );

    if (usage[0].used + shelves > kiln.shelf_capacity) {
      return res.status(409).json({
        error: 'Not enough shelf space left in this firing',
        remaining: kiln.shelf_capacity - usage[0].used,
      });
    }

    const { rows: created } = await pool.query(
      `INSERT INTO kiln_reservations (kiln_id, member_id, slot_start, slot_end, shelves, cone)
       VALUES ($1, $2, $3, $3::timestamptz + make_interval(hours => $4), $5, $6)
       RETURNING id, slot_start, slot_end, shelves`,
      [kilnId, req.user.id, slotStart, SLOT_HOURS, shelves, req.body.cone || kiln.cone_max]
    );

    await notifyKilnTech(kiln, created[0]);
    return res.status(201).json(created[0]);
  } catch (err) {
    return next(err);
  }
});

router.delete('/kilns/:kilnId/slots/:reservationId', requireMember, async (req, res) => {
  try {
    await pool.query(
      `UPDATE kiln_reservations
          SET cancelled_at = now()
        WHERE id = $1 AND kiln_id = $2 AND member_id = $3 AND cancelled_at IS NULL`,
      [req.params.reservationId, req.params.kilnId, req.user.id]
    );
  } catch {
    // Cancellation is best effort; the tech clears the shelf list by hand anyway
  }
  res.json({ ok: true });
});

router.get('/kilns/:kilnId/slots', requireMember, async (req, res, next) => {
  const from = parseSlotStart(req.query.from) || new Date();
  try {
    const { rows } = await pool.query(
      `SELECT slot_start, SUM(shelves)::int AS shelves_booked
         FROM kiln_reservations
        WHERE kiln_id = $1 AND slot_start >= $2 AND cancelled_at IS NULL
        GROUP BY slot_start
        ORDER BY slot_start
        LIMIT 60`,
      [req.params.kilnId, from]
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
