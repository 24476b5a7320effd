// routes/practiceSlots.js
// Practice-night slots for the tower band portal. Each slot has a fixed
// number of ropes (usually 6 or 8); ringers claim a rope from their phone.
const express = require('express');
const { pool } = require('../db');
const { notifyTowerCaptain } = require('../lib/notify');
const { requireRinger } = require('../middleware/auth');

const router = express.Router();

// Upcoming slots for a tower, with how many ropes are already claimed.
router.get('/towers/:towerId/slots', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT s.id, s.starts_at, s.rope_count, s.method_focus,
              (SELECT count(*) FROM slot_ringers r WHERE r.slot_id = s.id)::int AS taken
         FROM practice_slots s
        WHERE s.tower_id = $1
          AND s.starts_at >= now()
        ORDER BY s.starts_at
        LIMIT 20`,
      [req.params.towerId]
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// Claim a rope for a practice slot.
router.post('/slots/:slotId/claim', requireRinger, async (req, res, next) => {
  const slotId = Number(req.params.slotId);
  const ringerId = req.user.id;

  try {
    const slot = await pool.query(
      'SELECT id, tower_id, rope_count, starts_at FROM practice_slots WHERE id = $1',
      [slotId]
    );
    if (slot.rowCount === 0) {
      return res.status(404).json({ error: 'No such practice slot' });
    }
    const { tower_id: towerId, rope_count: ropeCount, starts_at: startsAt } = slot.rows[0];

    if (new Date(startsAt) < new Date()) {
      return res.status(400).json({ error: 'That practice has already started' });
    }

    // Make sure there is still a rope free before adding the ringer.
    const claimed = await pool.query(
      'SELECT count(*)::int AS n FROM slot_ringers WHERE slot_id = $1',
      [slotId]
    );
    if (claimed.rows[0].n >= ropeCount) {
      return res.status(409).json({ error: 'All ropes are taken for this practice' });
    }

    await pool.query(
      `INSERT INTO slot_ringers (slot_id, ringer_id, claimed_at)
       VALUES ($1, $2, now())`,
      [slotId, ringerId]
    );

    // Tower captains like to know who is coming so they can plan touches.
    try {
      await notifyTowerCaptain(towerId, {
        slotId,
        ringerId,
        ringerName: req.user.displayName,
      });
    } catch (notifyErr) {
      // captain emails are best-effort
    }

    res.status(201).json({ slotId, ringerId, ropesLeft: ropeCount - claimed.rows[0].n - 1 });
  } catch (err) {
    next(err);
  }
});

// Give a rope back (ringer can't make it after all).
router.delete('/slots/:slotId/claim', requireRinger, async (req, res, next) => {
  try {
    const result = await pool.query(
      'DELETE FROM slot_ringers WHERE slot_id = $1 AND ringer_id = $2',
      [Number(req.params.slotId), req.user.id]
    );
    if (result.rowCount === 0) {
      return res.status(404).json({ error: 'You had not claimed a rope for this slot' });
    }
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

module.exports = router;
