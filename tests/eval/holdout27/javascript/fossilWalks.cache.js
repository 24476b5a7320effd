// routes/fossilWalks.js
// Public schedule of guided fossil-hunting walks, with safe-tide windows.
// Same answer for every visitor, so it is cached per beach + date.

const express = require('express');
const axios = require('axios');
const NodeCache = require('node-cache');
const db = require('../db/knex');
const logger = require('../logger');

const router = express.Router();

// Entries expire after 10 minutes; at most 500 beach/date combinations are kept.
const scheduleCache = new NodeCache({ stdTTL: 600, checkperiod: 120, maxKeys: 500, useClones: false });

const tides = axios.create({
  baseURL: process.env.TIDE_API_URL,
  timeout: 4000,
  headers: { 'x-api-key': process.env.TIDE_API_KEY },
});

// Concurrent misses for the same key share one computation.
const inflight = new Map();

async function loadSchedule(beachId, date) {
  const [walks, tide] = await Promise.all([
    db('guided_walks')
      .where({ beach_id: beachId, walk_date: date, cancelled: false })
      .orderBy('starts_at')
      .limit(40)
      .select('id', 'leader_name', 'starts_at', 'duration_min', 'places_left'),
    tides.get(`/stations/${beachId}/low-water`, { params: { date } }),
  ]);
  return { beachId, date, lowWater: tide.data.low_water, walks };
}

async function getSchedule(beachId, date) {
  const key = `walks:${beachId}:${date}`;
  const hit = scheduleCache.get(key);
  if (hit !== undefined) return hit;

  if (!inflight.has(key)) {
    const p = loadSchedule(beachId, date)
      .then((value) => {
        try {
          scheduleCache.set(key, value);
        } catch (err) {
          logger.warn({ err, key }, 'schedule cache full, serving uncached');
        }
        return value;
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, p);
  }
  return inflight.get(key);
}

// GET /api/beaches/:beachId/walks?date=2025-06-14
router.get('/beaches/:beachId/walks', async (req, res, next) => {
  const beachId = Number(req.params.beachId);
  const date = String(req.query.date || '');
  if (!Number.isInteger(beachId) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    return res.status(400).json({ error: 'beachId and date (YYYY-MM-DD) are required' });
  }
  try {
    const schedule = await getSchedule(beachId, date);
    res.set('Cache-Control', 'public, max-age=120').json(schedule);
  } catch (err) {
    logger.error({ err, beachId, date }, 'failed to load walk schedule');
    next(err);
  }
});

module.exports = router;
