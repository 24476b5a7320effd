// Village pub quiz league - standings endpoint.
// The table is the same for every viewer of a league, so it is cached once per
// league in Redis and rebuilt by a single request when it expires.

const express = require('express');
const Redis = require('ioredis');
const { randomUUID } = require('crypto');
const { pool } = require('./db');
const log = require('./log');

const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 2, connectTimeout: 2000, commandTimeout: 1000 });

const TABLE_TTL_SECONDS = 120;
const LOCK_TTL_MS = 10_000;
const WAIT_STEP_MS = 100;
const WAIT_STEPS = 30;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function loadStandings(leagueId) {
  const { rows } = await pool.query(
    `SELECT t.id, t.name, t.home_pub,
            SUM(r.points) AS points,
            COUNT(*) AS rounds_played
       FROM quiz_round_scores r
       JOIN quiz_teams t ON t.id = r.team_id
      WHERE r.league_id = $1 AND t.league_id = $1
      GROUP BY t.id, t.name, t.home_pub
      ORDER BY points DESC, t.name
      LIMIT 40`,
    [leagueId]
  );
  return rows;
}

const RELEASE_LOCK = `
  if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end
  return 0`;

async function getStandings(leagueId) {
  const cacheKey = `quiz:standings:${leagueId}`;
  const lockKey = `${cacheKey}:rebuild`;

  for (let step = 0; step < WAIT_STEPS; step += 1) {
    const hit = await redis.get(cacheKey);
    if (hit) return JSON.parse(hit);

    // Only the request that wins SET NX rebuilds; the others wait for its result.
    const token = randomUUID();
    const won = await redis.set(lockKey, token, 'PX', LOCK_TTL_MS, 'NX');
    if (won === 'OK') {
      try {
        const standings = await loadStandings(leagueId);
        await redis.set(cacheKey, JSON.stringify(standings), 'EX', TABLE_TTL_SECONDS);
        return standings;
      } finally {
        await redis.eval(RELEASE_LOCK, 1, lockKey, token);
      }
    }
    await sleep(WAIT_STEP_MS);
  }
  throw Object.assign(new Error('standings are being rebuilt, try again shortly'), { status: 503 });
}

const router = express.Router();

router.get('/leagues/:leagueId/standings', async (req, res, next) => {
  try {
    const standings = await getStandings(req.params.leagueId);
    res.set('Cache-Control', 'public, max-age=30');
    res.json({ leagueId: req.params.leagueId, standings });
  } catch (err) {
    log.error({ err, leagueId: req.params.leagueId }, 'standings lookup failed');
    next(err);
  }
});

// Called after the quizmaster submits a round, so the next viewer sees new scores.
async function invalidateStandings(leagueId) {
  await redis.del(`quiz:standings:${leagueId}`);
}

module.exports = { router, getStandings, invalidateStandings };
