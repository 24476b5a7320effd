// app.js — community sauna booking API.
// Deployed on Render with 3 instances behind their load balancer, so sessions
// and rate-limit counters live in Redis, not in process memory.
const express = require('express');
const session = require('express-session');
const RedisStore = require('connect-redis').default;
const Redis = require('ioredis');
const { pool } = require('./db');
const { verifyPassword } = require('./auth/passwords');
const sessionsRouter = require('./routes/saunaSessions');

const redis = new Redis(process.env.REDIS_URL, {
  connectTimeout: 2000,
  commandTimeout: 1000,
  maxRetriesPerRequest: 2,
});

const app = express();
// Exactly one proxy hop (the Render load balancer) sits in front of us, so
// req.ip is the address that proxy saw, not whatever the client put in a header.
app.set('trust proxy', 1);
app.use(express.json({ limit: '50kb' }));

app.use(
  session({
    store: new RedisStore({ client: redis, prefix: 'sauna:sess:' }),
    secret: process.env.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, secure: true, sameSite: 'lax', maxAge: 1000 * 60 * 60 * 8 },
  })
);

/**
 * Fixed-window limiter shared by all instances. INCR and PEXPIRE run in one
 * MULTI so the window always gets a TTL.
 */
function redisRateLimit({ prefix, limit, windowMs, keyFn }) {
  return async (req, res, next) => {
    const windowStart = Math.floor(Date.now() / windowMs);
    const key = `rl:${prefix}:${keyFn(req)}:${windowStart}`;
    try {
      const [[, count]] = await redis.multi().incr(key).pexpire(key, windowMs).exec();
      res.set('X-RateLimit-Remaining', String(Math.max(0, limit - count)));
      if (count > limit) {
        return res.status(429).json({ error: 'Too many requests, try again shortly' });
      }
      return next();
    } catch (err) {
      return next(err);
    }
  };
}

const loginLimiter = redisRateLimit({ prefix: 'login', limit: 10, windowMs: 15 * 60 * 1000, keyFn: (req) => req.ip });
const bookingLimiter = redisRateLimit({ prefix: 'book', limit: 30, windowMs: 60 * 1000, keyFn: (req) => req.session.memberId });

app.post('/api/login', loginLimiter, async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      'SELECT id, password_hash FROM sauna_members WHERE lower(email) = lower($1) AND active',
      [req.body.email]
    );
    if (rows.length === 0 || !(await verifyPassword(req.body.password, rows[0].password_hash))) {
      return res.status(401).json({ error: 'Email or password not recognised' });
    }
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.memberId = rows[0].id;
      res.json({ ok: true });
    });
  } catch (err) {
    next(err);
  }
});

function requireLogin(req, res, next) {
  if (!req.session.memberId) return res.status(401).json({ error: 'Please log in' });
  next();
}

app.use('/api/sessions', requireLogin, bookingLimiter, sessionsRouter);

app.use((err, req, res, _next) => {
  console.error(err);
  res.status(err.status || 500).json({ error: 'Something went wrong' });
});

module.exports = app;
