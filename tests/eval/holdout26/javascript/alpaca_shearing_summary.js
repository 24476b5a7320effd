// Alpaca shearing rounds: the travelling shearing team visits member farms in
// rounds each spring. This endpoint feeds the "season at a glance" panel every
// member sees on the home page after logging in.
import { Router } from 'express';
import { db } from '../db/pool.js'; // pg Pool shared by the app
import { requireLogin } from '../auth/session.js';

const router = Router();

const SUMMARY_TTL_MS = 10 * 60 * 1000;

// Avoid hitting Postgres for every home page view.
const summaryCache = new Map();

async function buildSeasonSummary(season) {
  const rounds = await db.query(
    `SELECT r.round_no,
            r.region,
            count(DISTINCT v.farm_id)          AS farms,
            count(s.id)                        AS animals_shorn,
            round(avg(s.fleece_weight_kg), 2)  AS avg_fleece_kg,
            sum(s.fleece_weight_kg)            AS total_fleece_kg
       FROM shearing_rounds r
       JOIN shearing_visits v ON v.round_id = r.id
       LEFT JOIN shorn_animals s ON s.visit_id = v.id
      WHERE r.season = $1
      GROUP BY r.round_no, r.region
      ORDER BY r.round_no`,
    [season]
  );

  const grades = await db.query(
    `SELECT s.fleece_grade, count(*) AS n
       FROM shorn_animals s
       JOIN shearing_visits v ON v.id = s.visit_id
       JOIN shearing_rounds r ON r.id = v.round_id
      WHERE r.season = $1
      GROUP BY s.fleece_grade`,
    [season]
  );

  return {
    season,
    rounds: rounds.rows,
    gradeMix: Object.fromEntries(grades.rows.map((g) => [g.fleece_grade, Number(g.n)])),
    builtAt: new Date().toISOString(),
  };
}

router.get('/shearing/season/:season/summary', requireLogin, async (req, res, next) => {
  const season = Number(req.params.season);
  if (!Number.isInteger(season) || season < 2000 || season > 2100) {
    return res.status(400).json({ error: 'invalid season' });
  }

  const cacheKey = `${req.session.userId}:season:${season}`;
  const hit = summaryCache.get(cacheKey);
  if (hit && Date.now() - hit.at < SUMMARY_TTL_MS) {
    return res.json(hit.value);
  }

  try {
    const value = await buildSeasonSummary(season);
    summaryCache.set(cacheKey, { at: Date.now(), value });
    res.json(value);
  } catch (err) {
    next(err);
  }
});

// Members' own farm history is per-user by nature and is not cached.
router.get('/shearing/my-visits', requireLogin, async (req, res, next) => {
  try {
    const { rows } = await db.query(
      `SELECT v.id, r.season, r.round_no, v.visited_on, v.animals_booked
         FROM shearing_visits v
         JOIN shearing_rounds r ON r.id = v.round_id
         JOIN farm_members fm ON fm.farm_id = v.farm_id
        WHERE fm.user_id = $1
        ORDER BY v.visited_on DESC
        LIMIT 50`,
      [req.session.userId]
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

export default router;
