// middleware/rateLimit.js
// The bunk-allocation API for the alpine club's huts runs as 3 replicas behind
// the ingress (one nginx hop). Limits are kept in Redis so every replica sees
// the same counters.
const Redis = require('ioredis');
const logger = require('../lib/logger');

// One shared connection per process; ioredis pipelines commands over it.
const redis = new Redis(process.env.REDIS_URL, {
  connectTimeout: 2000,
  commandTimeout: 500,
  maxRetriesPerRequest: 2,
  enableOfflineQueue: false,
});

redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));

const WINDOW_SECONDS = 60;

const LIMITS = {
  search: 120, // GET /huts/:id/availability
  allocate: 10, // POST /huts/:id/allocations
};

/**
 * Fixed-window limiter. INCR is atomic, and EXPIRE ... NX only sets the TTL
 * the first time, so the window is not pushed forward by every request.
 */
function rateLimit(bucket) {
  const max = LIMITS[bucket];
  if (!max) throw new Error(`unknown rate limit bucket ${bucket}`);

  return async function rateLimitMiddleware(req, res, next) {
    // app.set('trust proxy', 1) is configured in app.js, so req.ip is the
    // address nginx saw, not whatever the client put in a header.
    const who = req.user ? `u:${req.user.id}` : `ip:${req.ip}`;
    const windowId = Math.floor(Date.now() / 1000 / WINDOW_SECONDS);
    const key = `rl:${bucket}:${who}:${windowId}`;

    try {
      const results = await redis
        .multi()
        .incr(key)
        .expire(key, WINDOW_SECONDS, 'NX')
        .exec();
      const count = results[0][1];

      res.set('RateLimit-Limit', String(max));
      res.set('RateLimit-Remaining', String(Math.max(0, max - count)));

      if (count > max) {
        const retryAfter = WINDOW_SECONDS - (Math.floor(Date.now() / 1000) % WINDOW_SECONDS);
        res.set('Retry-After', String(retryAfter));
        return res.status(429).json({ error: 'too many requests, try again shortly' });
      }
      return next();
    } catch (err) {
      // Fail open but loudly: a Redis blip should not lock climbers out of
      // the hut list, and the alert on this log line pages the on-call.
      logger.error({ err, bucket, who }, 'rate limiter unavailable, allowing request');
      return next();
    }
  };
}

module.exports = { rateLimit, redis };
