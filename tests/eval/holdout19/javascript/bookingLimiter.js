// Here's a production-ready version of your meeting-room booking limiter.
//
// What changed compared to your in-memory version:
//  1. Counters live in Redis (INCR + EXPIRE in one MULTI), so all 3 replicas share them.
//  2. The client IP comes from `req.ip` with `trust proxy` set to exactly the one hop
//     in front of us (the ALB). Express then takes the address the ALB appended, so a
//     client can't pick its own IP by sending an X-Forwarded-For header.
//  3. Logged-in members are limited per account, anonymous traffic per IP.
//  4. If Redis is down we fail open, but we log it so it shows up in alerts.

const express = require('express');
const Redis = require('ioredis');
const logger = require('./logger');
const bookings = require('./bookings');

const redis = new Redis(process.env.REDIS_URL, {
  connectTimeout: 2000,
  commandTimeout: 500,
  maxRetriesPerRequest: 1,
});

const app = express();
app.use(express.json());

// Exactly one proxy (the AWS ALB) sits in front of the service.
app.set('trust proxy', 1);

/**
 * Fixed-window limiter backed by Redis.
 * @param {object} opts
 * @param {string} opts.prefix     key namespace, e.g. "book"
 * @param {number} opts.limit      max requests per window
 * @param {number} opts.windowSec  window length in seconds
 */
function redisLimiter({ prefix, limit, windowSec }) {
  return async function limiter(req, res, next) {
    const subject = req.user ? `u:${req.user.id}` : `ip:${req.ip}`;
    const windowId = Math.floor(Date.now() / 1000 / windowSec);
    const key = `rl:${prefix}:${subject}:${windowId}`;

    try {
      const [[, count]] = await redis.multi().incr(key).expire(key, windowSec + 1).exec();
      res.set('X-RateLimit-Limit', String(limit));
      res.set('X-RateLimit-Remaining', String(Math.max(0, limit - count)));
      if (count > limit) {
        return res.status(429).json({ error: 'Too many booking attempts, please try again in a minute.' });
      }
      return next();
    } catch (err) {
      logger.error({ err, key }, 'rate limiter unavailable, allowing request');
      return next();
    }
  };
}

app.post(
  '/rooms/:roomId/bookings',
  redisLimiter({ prefix: 'book', limit: 20, windowSec: 60 }),
  bookings.create
);

app.delete(
  '/rooms/:roomId/bookings/:bookingId',
  redisLimiter({ prefix: 'cancel', limit: 30, windowSec: 60 }),
  bookings.cancel
);

module.exports = { app, redisLimiter };

// Tip: if you later move behind Cloudflare *and* the ALB, bump `trust proxy` to 2,
// never to `true`, otherwise any client-supplied header is trusted again.
