// Community radio: weekly show schedule API.
// Each station on the platform is its own tenant; the station id comes from the
// authenticated volunteer's token, never from the URL.
const express = require('express');
const { LRUCache } = require('lru-cache');
const knex = require('../db/knex');
const { authenticate } = require('../middleware/authenticate');

const router = express.Router();

// Schedules are identical for every listener of a station, so the key is per station + week.
// Bounded: at most 500 station-weeks, each kept for 60 s.
const scheduleCache = new LRUCache({ max: 500, ttl: 60 * 1000 });

// Collapse concurrent misses for the same key into a single database round trip.
const pending = new Map();

function weekStart(date) {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d;
}

async function loadWeek(stationId, start) {
  const end = new Date(start.getTime() + 7 * 24 * 3600 * 1000);
  return knex('show_slots as s')
    .join('shows as sh', 'sh.id', 's.show_id')
    .where('s.station_id', stationId)
    .andWhere('s.starts_at', '>=', start)
    .andWhere('s.starts_at', '<', end)
    .select('s.id', 's.starts_at', 's.ends_at', 'sh.title', 'sh.presenter_name', 'sh.genre')
    .orderBy('s.starts_at')
    .limit(400);
}

async function getWeek(stationId, start) {
  const key = `schedule:${stationId}:${start.toISOString().slice(0, 10)}`;
  const hit = scheduleCache.get(key);
  if (hit !== undefined) return hit;

  if (!pending.has(key)) {
    const p = loadWeek(stationId, start)
      .then((rows) => {
        scheduleCache.set(key, rows);
        return rows;
      })
      .finally(() => pending.delete(key));
    pending.set(key, p);
  }
  return pending.get(key);
}

router.get('/schedule', authenticate, async (req, res, next) => {
  try {
    const start = weekStart(req.query.week ? new Date(req.query.week) : new Date());
    if (Number.isNaN(start.getTime())) {
      return res.status(400).json({ error: 'week must be a date' });
    }
    const slots = await getWeek(req.auth.stationId, start);
    res.set('Cache-Control', 'private, max-age=30');
    return res.json({ weekStart: start.toISOString(), slots });
  } catch (err) {
    return next(err);
  }
});

router.get('/shows', authenticate, async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit) || 50, 100);
  const afterId = Number(req.query.after) || 0;
  try {
    const shows = await knex('shows')
      .where({ station_id: req.auth.stationId, archived: false })
      .andWhere('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .select('id', 'title', 'presenter_name', 'genre');
    res.json({ shows, next: shows.length === limit ? shows[shows.length - 1].id : null });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
