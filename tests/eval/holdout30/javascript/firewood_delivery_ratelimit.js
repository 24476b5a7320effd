// server/app.js — community kiln-dried firewood co-op
// Runs as 3 replicas behind the co-op's single nginx load balancer, so all
// limiter state lives in Redis and client addresses come from Express's
// trust-proxy handling (exactly one hop we control).
const express = require('express');
const Redis = require('ioredis');
const { Pool } = require('pg');
const logger = require('./logger');
const { requireMember } = require('./auth');

const app = express();
app.set('trust proxy', 1);
app.use(express.json({ limit: '32kb' }));

const redis = new Redis(process.env.REDIS_URL, {
  connectTimeout: 2000,
  commandTimeout: 500,
  maxRetriesPerRequest: 2,
});
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  statement_timeout: 5000,
  connectionTimeoutMillis: 2000,
});

// Fixed-window limiter shared by every replica: INCR + EXPIRE in one round trip.
function redisLimit({ prefix, limit, windowSec, keyOf }) {
  return async (req, res, next) => {
    const window = Math.floor(Date.now() / 1000 / windowSec);
    const key = `rl:${prefix}:${keyOf(req)}:${window}`;
    try {
      const [[, count]] = await redis.multi().incr(key).expire(key, windowSec).exec();
      res.set('RateLimit-Remaining', String(Math.max(0, limit - count)));
      if (count > limit) return res.status(429).json({ error: 'Too many requests, try later' });
      next();
    } catch (err) {
      logger.error({ err, prefix }, 'rate limiter unavailable');
      next(err);
    }
  };
}

// Anonymous price quotes: per client address as resolved by trust proxy.
app.get(
  '/api/quote',
  redisLimit({ prefix: 'quote', limit: 30, windowSec: 60, keyOf: (req) => req.ip }),
  async (req, res, next) => {
    try {
      const loads = Math.min(Math.max(Number(req.query.loads) || 1, 1), 10);
      const { rows } = await pool.query(
        'SELECT price_pence, delivery_pence FROM firewood_prices WHERE product = $1 AND active LIMIT 1',
        [req.query.product || 'ash-kiln-dried']
      );
      if (rows.length === 0) return res.status(404).json({ error: 'unknown product' });
      const { price_pence, delivery_pence } = rows[0];
      res.json({ loads, totalPence: loads * price_pence + delivery_pence });
    } catch (err) {
      next(err);
    }
  }
);

// Members' own delivery history, newest first, paged.
app.get(
  '/api/deliveries',
  requireMember,
  redisLimit({ prefix: 'deliveries', limit: 120, windowSec: 60, keyOf: (req) => req.user.id }),
  async (req, res, next) => {
    try {
      const pageSize = Math.min(Number(req.query.pageSize) || 20, 50);
      const before = req.query.before ? new Date(req.query.before) : new Date();
      const { rows } = await pool.query(
        `SELECT id, product, loads, delivery_date, status
           FROM deliveries
          WHERE member_id = $1 AND delivery_date < $2
          ORDER BY delivery_date DESC
          LIMIT $3`,
        [req.user.id, before, pageSize]
      );
      res.json({ items: rows, nextBefore: rows.length ? rows[rows.length - 1].delivery_date : null });
    } catch (err) {
      next(err);
    }
  }
);

app.use((err, req, res, _next) => {
  logger.error({ err, path: req.path }, 'request failed');
  res.status(500).json({ error: 'Internal error' });
});

module.exports = app;
