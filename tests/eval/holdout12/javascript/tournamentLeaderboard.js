// Tournament standings API (ClutchCup esports).
// Standings are an aggregate over every match in the tournament, so we cache them in Redis,
// serve stale copies while one instance rebuilds under a lock, and never let a cold cache
// send every request to Postgres at once.
const express = require('express');
const Redis = require('ioredis');
const { Pool } = require('pg');
const { requirePlayer } = require('./auth');

const redis = new Redis(process.env.REDIS_URL, {
  connectTimeout: 2000,
  commandTimeout: 1000,
  maxRetriesPerRequest: 2,
});
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 20,
  connectionTimeoutMillis: 2000,
  statement_timeout: 5000,
});

const FRESH_MS = 30000; // rebuild once a copy is older than 30 s
const KEEP_S = 3600; // but keep serving the old copy for up to an hour
const router = express.Router();

async function computeStandings(tournamentId) {
  const { rows } = await pool.query(
    `SELECT t.id AS team_id, t.name,
            COUNT(*) FILTER (WHERE m.winner_id = t.id) AS wins,
            COUNT(*) FILTER (WHERE m.winner_id IS NOT NULL AND m.winner_id <> t.id) AS losses,
            COALESCE(SUM(CASE WHEN m.team_a_id = t.id THEN m.score_a ELSE m.score_b END), 0) AS rounds_won
       FROM tournament_teams tt
       JOIN teams t ON t.id = tt.team_id
       LEFT JOIN matches m
              ON m.tournament_id = tt.tournament_id
             AND (m.team_a_id = t.id OR m.team_b_id = t.id)
      WHERE tt.tournament_id = $1
      GROUP BY t.id, t.name
      ORDER BY wins DESC, rounds_won DESC
      LIMIT 256`,
    [tournamentId]
  );
  return rows;
}

// Only the instance holding the lock recomputes; everyone else keeps serving what's cached.
async function rebuild(tournamentId) {
  const lockKey = `standings:lock:${tournamentId}`;
  const gotLock = await redis.set(lockKey, '1', 'PX', 15000, 'NX');
  if (!gotLock) return null;
  try {
    const rows = await computeStandings(tournamentId);
    await redis.set(`standings:${tournamentId}`, JSON.stringify({ builtAt: Date.now(), rows }), 'EX', KEEP_S);
    return rows;
  } finally {
    await redis.del(lockKey);
  }
}

router.get('/tournaments/:id/standings', async (req, res, next) => {
  const tournamentId = Number(req.params.id);
  try {
    const raw = await redis.get(`standings:${tournamentId}`);
    if (raw) {
      const { builtAt, rows } = JSON.parse(raw);
      if (Date.now() - builtAt > FRESH_MS) {
        rebuild(tournamentId).catch((err) => req.log.error({ err, tournamentId }, 'standings rebuild failed'));
      }
      return res.json({ rows, builtAt });
    }
    // cold cache: the lock holder builds it, the others are told to come back in a second
    const rows = await rebuild(tournamentId);
    if (!rows) {
      res.set('Retry-After', '1');
      return res.status(503).json({ error: 'standings are being built, retry shortly' });
    }
    return res.json({ rows, builtAt: Date.now() });
  } catch (err) {
    return next(err);
  }
});

// The signed-in player's own recent matches - genuinely per player, so the key includes the id.
router.get('/me/matches', requirePlayer, async (req, res, next) => {
  const key = `player:${req.user.playerId}:recent-matches`;
  try {
    const hit = await redis.get(key);
    if (hit) return res.json(JSON.parse(hit));
    const { rows } = await pool.query(
      `SELECT m.id, m.tournament_id, m.played_at, m.score_a, m.score_b, m.winner_id
         FROM match_players mp JOIN matches m ON m.id = mp.match_id
        WHERE mp.player_id = $1
        ORDER BY m.played_at DESC
        LIMIT 20`,
      [req.user.playerId]
    );
    await redis.set(key, JSON.stringify(rows), 'EX', 60);
    return res.json(rows);
  } catch (err) {
    return next(err);
  }
});

module.exports = router;
