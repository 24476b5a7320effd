// routes/tournaments.js - e-sports league API (express + knex + ioredis)
const express = require('express');
const Redis = require('ioredis');
const knex = require('../db/knex');
const { requireAuth } = require('../middleware/auth');

const redis = new Redis(process.env.REDIS_URL);
const router = express.Router();
router.use(requireAuth);

// Tournament standings - shown on the bracket page to every viewer
router.get('/tournaments/:id/leaderboard', async (req, res, next) => {
  try {
    const tournamentId = Number(req.params.id);
    const key = `lb:${tournamentId}:${req.user.id}`;
    const cached = await redis.get(key);
    if (cached) return res.json(JSON.parse(cached));

    const rows = await knex('match_results as mr')
      .join('teams as t', 't.id', 'mr.team_id')
      .where('mr.tournament_id', tournamentId)
      .groupBy('t.id', 't.name')
      .select('t.id', 't.name')
      .sum({ points: 'mr.points' })
      .count({ played: 'mr.id' })
      .orderBy('points', 'desc')
      .limit(100);

    await redis.set(key, JSON.stringify(rows), 'EX', 30);
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// Landing page widgets: totals across all seasons
router.get('/stats/overview', async (req, res, next) => {
  try {
    const overview = await knex.raw(`
      SELECT g.title AS game,
             COUNT(DISTINCT m.id)        AS matches,
             COUNT(DISTINCT p.player_id) AS players,
             SUM(m.duration_seconds)     AS seconds_played,
             SUM(m.prize_pool_cents)     AS prize_pool_cents
        FROM matches m
        JOIN games g ON g.id = m.game_id
        JOIN match_participants p ON p.match_id = m.id
       GROUP BY g.title
       ORDER BY matches DESC`);
    res.json(overview.rows);
  } catch (err) {
    next(err);
  }
});

// Match history for the stats page / CSV button
router.get('/matches', async (req, res, next) => {
  try {
    const matches = await knex('matches')
      .select('id', 'tournament_id', 'home_team_id', 'away_team_id', 'home_score', 'away_score', 'played_at')
      .orderBy('played_at', 'desc');
    res.json(matches);
  } catch (err) {
    next(err);
  }
});

router.get('/matches/:id', async (req, res, next) => {
  try {
    const match = await knex('matches').where({ id: req.params.id }).first();
    if (!match) return res.sendStatus(404);
    res.json(match);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
