// app.js — Puppy walker portal (guide-dog charity).
// Volunteer puppy walkers log weekly training notes; regional coordinators manage
// placements. Runs as 4 replicas behind the regional load balancer, so session and
// rate-limit state live in Redis.

const express = require('express');
const session = require('express-session');
const RedisStore = require('connect-redis').default;
const Redis = require('ioredis');
const { Pool } = require('pg');

const redis = new Redis(process.env.REDIS_URL, { connectTimeout: 3000, commandTimeout: 1000 });
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 15, statement_timeout: 5000 });

const app = express();
app.set('trust proxy', 1); // exactly one hop: the load balancer
app.use(express.json({ limit: '100kb' }));
app.use(
  session({
    store: new RedisStore({ client: redis, prefix: 'pw:sess:' }),
    secret: process.env.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
    cookie: { secure: true, httpOnly: true, sameSite: 'lax', maxAge: 8 * 3600 * 1000 },
  })
);

// Fixed-window limiter shared by all replicas.
function rateLimit({ name, limit, windowSec }) {
  return async (req, res, next) => {
    const who = req.session.userId ? `u:${req.session.userId}` : `ip:${req.ip}`;
    const key = `pw:rl:${name}:${who}:${Math.floor(Date.now() / 1000 / windowSec)}`;
    try {
      const [[, count]] = await redis.multi().incr(key).expire(key, windowSec).exec();
      res.set('x-ratelimit-remaining', String(Math.max(limit - count, 0)));
      if (count > limit) {
        return res.status(429).json({ error: 'too many requests' });
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

function requireLogin(req, res, next) {
  if (!req.session.userId) return res.status(401).end();
  next();
}

app.post('/notes', requireLogin, rateLimit({ name: 'notes', limit: 30, windowSec: 60 }), async (req, res, next) => {
  const { puppyId, week, text } = req.body;
  try {
    const { rowCount } = await pool.query(
      `INSERT INTO training_notes (puppy_id, walker_id, region_id, week, body)
       SELECT p.id, $2, p.region_id, $3, $4
         FROM puppies p
         JOIN placements pl ON pl.puppy_id = p.id AND pl.walker_id = $2 AND pl.ended_on IS NULL
        WHERE p.id = $1
       ON CONFLICT (puppy_id, week) DO UPDATE SET body = EXCLUDED.body, updated_at = now()`,
      [puppyId, req.session.userId, week, text]
    );
    if (rowCount === 0) return res.status(403).json({ error: 'not your puppy' });
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

app.get('/placements', requireLogin, rateLimit({ name: 'read', limit: 120, windowSec: 60 }), async (req, res, next) => {
  const pageSize = Math.min(Number(req.query.pageSize) || 25, 100);
  const offset = Math.max(Number(req.query.page) || 0, 0) * pageSize;
  try {
    const { rows } = await pool.query(
      `SELECT pl.id, p.name AS puppy, w.display_name AS walker, pl.started_on, pl.ended_on
         FROM placements pl
         JOIN puppies p ON p.id = pl.puppy_id
         JOIN walkers w ON w.id = pl.walker_id
        WHERE pl.region_id = $1
        ORDER BY pl.started_on DESC
        LIMIT $2 OFFSET $3`,
      [req.session.regionId, pageSize, offset]
    );
    res.json({ items: rows, page: offset / pageSize, pageSize });
  } catch (err) {
    next(err);
  }
});

module.exports = app;
