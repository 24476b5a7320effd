// Hill farm lambing rota: shepherds and seasonal helpers check the shed rota on their phones.
// The rota for a given week is the same for everyone on the farm and only changes when the
// farm manager edits it, so it is cached for five minutes.
const express = require('express');
const { pool } = require('../db/pool');
const { requireFarmMember } = require('../middleware/auth');

const router = express.Router();

const rotaCache = new Map();
const ROTA_TTL_MS = 5 * 60 * 1000;

function weekStartOf(dateString) {
  const d = dateString ? new Date(dateString) : new Date();
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  d.setUTCDate(d.getUTCDate() - day);
  return d.toISOString().slice(0, 10);
}

async function loadRota(farmId, weekStart) {
  const { rows } = await pool.query(
    `SELECT s.id, s.shift_date, s.starts_at, s.ends_at, s.shed, s.role,
            u.id AS shepherd_id, u.display_name AS shepherd
       FROM lambing_shifts s
       LEFT JOIN farm_users u ON u.id = s.shepherd_id AND u.farm_id = s.farm_id
      WHERE s.farm_id = $1
        AND s.shift_date >= $2::date
        AND s.shift_date <  $2::date + 7
      ORDER BY s.shift_date, s.starts_at, s.shed`,
    [farmId, weekStart]
  );
  return rows;
}

async function getRota(farmId, userId, weekStart) {
  const key = `rota:${farmId}:${userId}:${weekStart}`;
  const hit = rotaCache.get(key);
  if (hit && hit.expiresAt > Date.now()) {
    return hit.shifts;
  }
  const shifts = await loadRota(farmId, weekStart);
  rotaCache.set(key, { shifts, expiresAt: Date.now() + ROTA_TTL_MS });
  return shifts;
}

// GET /farms/:farmId/rota?week=2025-04-07
router.get('/farms/:farmId/rota', requireFarmMember, async (req, res, next) => {
  try {
    const weekStart = weekStartOf(req.query.week);
    const shifts = await getRota(req.params.farmId, req.user.id, weekStart);
    res.json({ weekStart, shifts, mine: shifts.filter((s) => s.shepherd_id === req.user.id).map((s) => s.id) });
  } catch (err) {
    next(err);
  }
});

// POST /farms/:farmId/shifts/:shiftId/claim — pick up an open night shift
router.post('/farms/:farmId/shifts/:shiftId/claim', requireFarmMember, async (req, res, next) => {
  try {
    const result = await pool.query(
      `UPDATE lambing_shifts
          SET shepherd_id = $1, claimed_at = now()
        WHERE id = $2 AND farm_id = $3 AND shepherd_id IS NULL`,
      [req.user.id, req.params.shiftId, req.params.farmId]
    );
    if (result.rowCount === 0) {
      return res.status(409).json({ error: 'shift has already been taken' });
    }
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

module.exports = router;
