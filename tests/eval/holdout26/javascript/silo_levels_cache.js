// routes/siloLevels.js
// Farmers' co-op: members check how full each grain silo is before hauling.
// Levels come from the sensor readings table (one row per silo per 5 minutes);
// the figure is the same for every member, so the cache key is the silo only.
const express = require('express');
const NodeCache = require('node-cache');
const { pool } = require('../db'); // pg Pool, max 10, statement_timeout 5s
const logger = require('../lib/logger');

const router = express.Router();

// ~40 silos across the three sites; maxKeys caps it anyway.
const levelCache = new NodeCache({ stdTTL: 60, checkperiod: 120, maxKeys: 500, useClones: false });

// Concurrent misses for the same silo share one database query.
const inFlight = new Map();

async function loadLevel(siloId) {
  const { rows } = await pool.query(
    `SELECT s.id, s.name, s.capacity_tonnes, s.crop,
            r.fill_tonnes, r.moisture_pct, r.temp_c, r.read_at
       FROM silos s
       JOIN LATERAL (
            SELECT fill_tonnes, moisture_pct, temp_c, read_at
              FROM silo_readings
             WHERE silo_id = s.id
             ORDER BY read_at DESC
             LIMIT 1
       ) r ON true
      WHERE s.id = $1`,
    [siloId]
  );
  if (rows.length === 0) return null;
  const row = rows[0];
  return {
    ...row,
    fillPct: Math.round((row.fill_tonnes / row.capacity_tonnes) * 1000) / 10,
  };
}

function getLevel(siloId) {
  const cached = levelCache.get(siloId);
  if (cached !== undefined) return Promise.resolve(cached);

  let pending = inFlight.get(siloId);
  if (!pending) {
    pending = loadLevel(siloId)
      .then((level) => {
        if (level) levelCache.set(siloId, level);
        return level;
      })
      .finally(() => inFlight.delete(siloId));
    inFlight.set(siloId, pending);
  }
  return pending;
}

router.get('/silos/:siloId/level', async (req, res, next) => {
  const siloId = Number(req.params.siloId);
  if (!Number.isInteger(siloId) || siloId <= 0) {
    return res.status(400).json({ error: 'invalid silo id' });
  }
  try {
    const level = await getLevel(siloId);
    if (!level) return res.status(404).json({ error: 'silo not found' });
    res.set('Cache-Control', 'private, max-age=30');
    res.json(level);
  } catch (err) {
    logger.error({ err, siloId }, 'failed to load silo level');
    next(err);
  }
});

module.exports = router;
