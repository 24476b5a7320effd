// You're right — the Map-based limiter you had only counts requests on the
// instance that happens to receive them, so with 3 Cloud Run instances a
// student could send 3x the limit. Here's a version backed by Redis so every
// instance shares the same counters.
//
// middleware/sessionRequestLimiter.js
const Redis = require('ioredis');
const logger = require('../logger');

// One client per process, created at module load and reused by every request.
const redis = new Redis(process.env.REDIS_URL, {
  connectTimeout: 2000,
  commandTimeout: 500,
  maxRetriesPerRequest: 1,
});

const WINDOW_SECONDS = 60 * 60;
const MAX_BOOKING_REQUESTS = 20; // per student per hour

/**
 * Limits how many tutoring-session requests a logged-in student can send.
 * Keyed by the authenticated student id (not the IP), so shared campus
 * Wi-Fi doesn't lock out a whole dorm.
 */
function sessionRequestLimiter() {
  return async function limit(req, res, next) {
    if (!req.user) return res.status(401).json({ error: 'login required' });

    const key = `rl:session-req:${req.user.id}`;
    try {
      const [[, count], [, ttl]] = await redis
        .multi()
        .incr(key)
        .ttl(key)
        .exec();

      if (ttl === -1) {
        await redis.expire(key, WINDOW_SECONDS);
      }

      res.set('X-RateLimit-Limit', String(MAX_BOOKING_REQUESTS));
      res.set('X-RateLimit-Remaining', String(Math.max(0, MAX_BOOKING_REQUESTS - count)));

      if (count > MAX_BOOKING_REQUESTS) {
        return res.status(429).json({ error: 'Too many session requests, try again later' });
      }
      return next();
    } catch (err) {
      // Fail open: a Redis blip shouldn't stop students booking tutors,
      // but we want to know about it.
      logger.error({ err, userId: req.user.id }, 'rate limiter unavailable');
      return next();
    }
  };
}

module.exports = { sessionRequestLimiter, redis };

// app.js
//
//   app.set('trust proxy', 1);            // exactly one Google front end in front of us
//   app.post('/api/session-requests', requireAuth, sessionRequestLimiter(), createSessionRequest);
