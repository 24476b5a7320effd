// routes/heats.js — town crier competition: heat line-ups and results.
// The heat page is refreshed constantly on competition day by spectators'
// phones, so the public part of a heat is cached per heat (not per viewer)
// in a bounded LRU. lru-cache's fetch() coalesces concurrent misses for the
// same key into one load.

const express = require('express');
const { LRUCache } = require('lru-cache');
const { pool } = require('../db');
const { requireScoringDesk } = require('../middleware/auth');

const router = express.Router();

const heatCache = new LRUCache({
  max: 500,
  ttl: 15 * 1000,
  allowStale: true,
  fetchMethod: async (heatId) => loadHeat(heatId),
});

async function loadHeat(heatId) {
  const { rows } = await pool.query(
    `SELECT h.id, h.name, h.round, h.starts_at,
            e.id AS entry_id, e.running_order, c.name AS crier, c.user_id AS crier_user_id,
            c.town, e.total_score
       FROM heats h
       LEFT JOIN heat_entries e ON e.heat_id = h.id
       LEFT JOIN criers c ON c.id = e.crier_id
      WHERE h.id = $1
      ORDER BY e.running_order
      LIMIT 40`,
    [heatId]
  );
  if (rows.length === 0) return undefined;

  const { id, name, round, starts_at: startsAt } = rows[0];
  return {
    id,
    name,
    round,
    startsAt,
    entries: rows
      .filter((r) => r.entry_id !== null)
      .map((r) => ({
        entryId: r.entry_id,
        order: r.running_order,
        crier: r.crier,
        crierUserId: r.crier_user_id,
        town: r.town,
        score: r.total_score,
      })),
  };
}

router.get('/heats/:heatId', async (req, res, next) => {
  const heatId = Number(req.params.heatId);
  if (!Number.isInteger(heatId)) return res.status(400).json({ error: 'bad heat id' });

  try {
    const heat = await heatCache.fetch(heatId);
    if (!heat) return res.status(404).json({ error: 'heat not found' });

    // The viewer's own entry is highlighted client-side from the shared data.
    const myEntryId = req.user
      ? heat.entries.find((e) => e.crierUserId === req.user.id)?.entryId ?? null
      : null;

    res.json({ ...heat, myEntryId });
  } catch (err) {
    next(err);
  }
});

// Called by the scoring desk after a heat's scores are entered.
router.post('/heats/:heatId/invalidate', requireScoringDesk, (req, res) => {
  heatCache.delete(Number(req.params.heatId));
  res.status(204).end();
});

module.exports = router;
