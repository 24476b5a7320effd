/**
 * Leaderboard API for "Orbit Smash" (iOS / Android).
 *
 * Production-ready Express service:
 *  - Knex + Postgres for persistence
 *  - node-cache for hot reads
 *  - JWT auth on every route (req.user is set by requireAuth)
 */
const express = require('express');
const NodeCache = require('node-cache');
const knex = require('./db/knex');
const { requireAuth } = require('./auth');

const app = express();
app.use(express.json());
app.use(requireAuth);

const cache = new NodeCache({ stdTTL: 30, checkperiod: 60 });

// POST /scores  { levelId, score, durationMs }
app.post('/scores', async (req, res, next) => {
  try {
    const { levelId, score, durationMs } = req.body;
    if (!Number.isInteger(score) || score < 0) {
      return res.status(400).json({ error: 'invalid score' });
    }
    const [row] = await knex('scores')
      .insert({ player_id: req.user.id, level_id: levelId, score, duration_ms: durationMs })
      .returning(['id', 'created_at']);
    res.status(201).json(row);
  } catch (err) {
    next(err);
  }
});

// GET /leaderboard/global — top 100 players by best score
app.get('/leaderboard/global', async (req, res, next) => {
  try {
    const key = `global-top100:${req.user.id}`;
    const hit = cache.get(key);
    if (hit) return res.json(hit);

    const rows = await knex('scores as s')
      .join('players as p', 'p.id', 's.player_id')
      .select('p.id', 'p.nickname', 'p.avatar_url')
      .max('s.score as best')
      .groupBy('p.id', 'p.nickname', 'p.avatar_url')
      .orderBy('best', 'desc')
      .limit(100);

    cache.set(key, rows);
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// GET /seasons/:seasonId/stats — numbers for the in-game "season recap" card
app.get('/seasons/:seasonId/stats', async (req, res, next) => {
  try {
    const { seasonId } = req.params;
    const stats = await knex('scores as s')
      .join('levels as l', 'l.id', 's.level_id')
      .where('l.season_id', seasonId)
      .select('l.id as level_id', 'l.name')
      .count('s.id as attempts')
      .countDistinct('s.player_id as players')
      .avg('s.score as avg_score')
      .max('s.score as best_score')
      .groupBy('l.id', 'l.name')
      .orderBy('l.id');
    res.json({ seasonId, levels: stats });
  } catch (err) {
    next(err);
  }
});

// GET /players/me/scores?before=<id>
app.get('/players/me/scores', async (req, res, next) => {
  try {
    const before = req.query.before ? Number(req.query.before) : null;
    const q = knex('scores')
      .where('player_id', req.user.id)
      .orderBy('id', 'desc')
      .limit(50)
      .select('id', 'level_id', 'score', 'created_at');
    if (before) q.andWhere('id', '<', before);
    res.json(await q);
  } catch (err) {
    next(err);
  }
});

app.use((err, req, res, _next) => {
  console.error(err);
  res.status(500).json({ error: 'internal error' });
});

app.listen(process.env.PORT || 8080);
