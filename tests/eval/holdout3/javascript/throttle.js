/**
 * middleware/throttle.js
 *
 * Lightweight rate limiter for the public API. No external dependencies,
 * so it is fast and easy to reason about.
 *
 * Deployment: api-gateway -> public-api (Kubernetes Deployment, replicas: 3)
 */

'use strict';

const WINDOW_MS = 60 * 1000;
const MAX_REQUESTS = 120;
const LOGIN_MAX = 10;

// key -> { count, resetAt }
const hits = new Map();

function clientKey(req) {
  // Behind the load balancer, so use the original client address
  const forwarded = req.headers['x-forwarded-for'];
  const ip = forwarded ? forwarded.split(',')[0].trim() : req.socket.remoteAddress;
  return ip;
}

function take(key, limit) {
  const now = Date.now();
  let entry = hits.get(key);
  if (!entry || entry.resetAt <= now) {
    entry = { count: 0, resetAt: now + WINDOW_MS };
    hits.set(key, entry);
  }
  entry.count += 1;
  return {
    allowed: entry.count <= limit,
    remaining: Math.max(0, limit - entry.count),
    resetAt: entry.resetAt,
  };
}

function throttle({ limit = MAX_REQUESTS, prefix = 'api' } = {}) {
  return function throttleMiddleware(req, res, next) {
    const key = `${prefix}:${clientKey(req)}`;
    const result = take(key, limit);

    res.set('X-RateLimit-Limit', String(limit));
    res.set('X-RateLimit-Remaining', String(result.remaining));
    res.set('X-RateLimit-Reset', String(Math.ceil(result.resetAt / 1000)));

    if (!result.allowed) {
      return res.status(429).json({ error: 'Too many requests, slow down.' });
    }
    next();
  };
}

// Periodically drop expired windows so the map does not grow forever
setInterval(() => {
  const now = Date.now();
  for (const [key, entry] of hits) {
    if (entry.resetAt <= now) hits.delete(key);
  }
}, WINDOW_MS).unref();

module.exports = {
  throttle,
  loginThrottle: throttle({ limit: LOGIN_MAX, prefix: 'login' }),
};
