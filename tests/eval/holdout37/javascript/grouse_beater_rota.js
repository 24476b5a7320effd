// server.js — moorland estate beater rota service.
// Runs as 4 pods behind the estate group's ingress, so sessions and the
// shift-swap limiter live in Redis rather than in process memory.

const express = require('express');
const session = require('express-session');
const { RedisStore } = require('connect-redis');
const Redis = require('ioredis');
const { Pool } = require('pg');
const logger = require('./logger');
const { requireLogin } = require('./auth');

const redis = new Redis(process.env.REDIS_URL, {
  connectTimeout: 3000,
  commandTimeout: 1000,
  maxRetriesPerRequest: 2,
});
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 15,
  connectionTimeoutMillis: 3000,
  statement_timeout: 5000,
});

const app = express();
app.use(express.json());
app.use(
  session({
    store: new RedisStore({ client: redis, prefix: 'beaters:sess:' }),
    secret: process.env.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
    cookie: { secure: true, httpOnly: true, maxAge: 8 * 3600 * 1000 },
  })
);

// Fixed-window limiter shared by all pods: 10 swap requests per beater per hour.
async function swapLimiter(req, res, next) {
  const key = `beaters:swaps:${req.session.userId}:${Math.floor(Date.now() / 3600000)}`;
  try {
    const [[, count]] = await redis.multi().incr(key).expire(key, 3600).exec();
    if (count > 10) {
      return res.status(429).json({ error: 'Swap limit reached, try again next hour' });
    }
    return next();
  } catch (err) {
    logger.error({ err }, 'swap limiter unavailable');
    return next(err);
  }
}

// Rota for one shoot day on the caller's estate.
app.get('/shoot-days/:dayId/rota', requireLogin, async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT r.drive_no, r.line_position, b.display_name, r.flag_colour
         FROM rota_slots r
         JOIN beaters b ON b.id = r.beater_id
        WHERE r.shoot_day_id = $1 AND r.estate_id = $2
        ORDER BY r.drive_no, r.line_position
        LIMIT 300`,
      [req.params.dayId, req.session.estateId]
    );
    res.json({ dayId: req.params.dayId, slots: rows });
  } catch (err) {
    next(err);
  }
});

// Offer your slot to another beater: moves it only if you still hold it.
app.post('/rota-slots/:slotId/swap', requireLogin, swapLimiter, async (req, res, next) => {
  try {
    const { rowCount } = await pool.query(
      `UPDATE rota_slots
          SET beater_id = $1, swapped_at = now()
        WHERE id = $2 AND beater_id = $3 AND estate_id = $4`,
      [req.body.toBeaterId, req.params.slotId, req.session.userId, req.session.estateId]
    );
    if (rowCount === 0) {
      return res.status(409).json({ error: 'Slot is no longer yours to swap' });
    }
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

app.listen(process.env.PORT || 3000);
