// Dive-site log stats for the club's website (Express, runs on 3 dynos).
const express = require('express');
const NodeCache = require('node-cache');
const { pool } = require('./db');

const router = express.Router();
const cache = new NodeCache({ stdTTL: 300, checkperiod: 120 });

// Site leaderboard: deepest dives and most-logged sites across the whole club.
router.get('/leaderboard', async (req, res, next) => {
  const cacheKey = `leaderboard:${req.user.id}`;
  const hit = cache.get(cacheKey);
  if (hit) return res.json(hit);

  try {
    const [deepest, busiest] = await Promise.all([
      pool.query(
        `SELECT d.diver_name, s.name AS site, l.max_depth_m, l.dived_on
           FROM dive_logs l
           JOIN divers d ON d.id = l.diver_id
           JOIN dive_sites s ON s.id = l.site_id
          ORDER BY l.max_depth_m DESC
          LIMIT 10`,
      ),
      pool.query(
        `SELECT s.name, count(*) AS dives
           FROM dive_logs l JOIN dive_sites s ON s.id = l.site_id
          WHERE l.dived_on > current_date - interval '1 year'
          GROUP BY s.name
          ORDER BY dives DESC
          LIMIT 10`,
      ),
    ]);
    const body = { deepest: deepest.rows, busiest: busiest.rows };
    cache.set(cacheKey, body);
    res.json(body);
  } catch (err) {
    next(err);
  }
});

// Site page: conditions summary shown under the map pin. dive_logs holds ~2.3M rows
// (members' imports from their dive computers going back to 2009).
router.get('/sites/:siteId/summary', async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT date_trunc('month', l.dived_on) AS month,
              count(*) AS dives,
              count(DISTINCT l.diver_id) AS divers,
              avg(l.visibility_m) AS avg_vis,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY l.water_temp_c) AS median_temp,
              max(l.max_depth_m) AS deepest,
              sum(l.bottom_time_min) AS total_minutes
         FROM dive_logs l
        WHERE l.site_id = $1
        GROUP BY 1
        ORDER BY 1`,
      [req.params.siteId],
    );
    res.json({ siteId: req.params.siteId, months: rows });
  } catch (err) {
    next(err);
  }
});

// A diver's own log book, newest first.
router.get('/me/dives', async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit) || 25, 100);
  const before = req.query.before || '9999-12-31';
  try {
    const { rows } = await pool.query(
      `SELECT l.id, s.name AS site, l.dived_on, l.max_depth_m, l.bottom_time_min
         FROM dive_logs l JOIN dive_sites s ON s.id = l.site_id
        WHERE l.diver_id = $1 AND l.dived_on < $2
        ORDER BY l.dived_on DESC
        LIMIT $3`,
      [req.user.id, before, limit],
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
