// routes/passages.js
// Lock-keeper passage log API used by the keepers' tablets and the trust's
// public "what went through today" page.

const express = require('express');
const { Pool } = require('pg');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 3000,
  statement_timeout: 5000,
});

const router = express.Router();

const DIRECTIONS = new Set(['up', 'down']);

// Record a passage through a lock flight. Keepers log one row per vessel
// per passage; a double lock-up (two narrowboats side by side) is two rows.
router.post('/locks/:lockId/passages', async (req, res, next) => {
  const { vesselId, direction, keeperId, notes } = req.body;

  if (!vesselId || !DIRECTIONS.has(direction)) {
    return res.status(400).json({ error: 'vesselId and direction (up|down) are required' });
  }

  try {
    const { rows } = await pool.query(
      `INSERT INTO passage_logs (lock_id, vessel_id, direction, keeper_id, notes, passed_at)
       VALUES ($1, $2, $3, $4, $5, now())
       RETURNING id, passed_at`,
      [req.params.lockId, vesselId, direction, keeperId, notes ?? null]
    );
    res.status(201).json(rows[0]);
  } catch (err) {
    next(err);
  }
});

// Passage history for a lock, newest first, with the vessel details the
// public page shows next to each entry.
router.get('/locks/:lockId/passages', async (req, res, next) => {
  try {
    const { rows: passages } = await pool.query(`SELECT id, vessel_id, direction, keeper_id, passed_at
         FROM passage_logs
        WHERE lock_id = $1
        ORDER BY passed_at DESC`,
      [req.params.lockId]
    );

    const result = [];
    for (const p of passages) {
      const { rows } = await pool.query('SELECT name, craft_type, length_m, licence_no FROM vessels WHERE id = $1', [
        p.vessel_id,
      ]);
      const vessel = rows[0] || null;
      result.push({
        id: p.id,
        direction: p.direction,
        passedAt: p.passed_at,
        vessel: vessel && {
          name: vessel.name,
          craftType: vessel.craft_type,
          lengthM: Number(vessel.length_m),
          licenceNo: vessel.licence_no,
        },
      });
    }

    res.json({ lockId: req.params.lockId, passages: result });
  } catch (err) {
    next(err);
  }
});

// Single lock header info for the tablet screen.
router.get('/locks/:lockId', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      'SELECT id, name, canal, rise_m, flight_position FROM locks WHERE id = $1',
      [req.params.lockId]
    );
    if (rows.length === 0) return res.status(404).json({ error: 'unknown lock' });
    res.json(rows[0]);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
