// middleware/rateLimit.ts  (bid-reporting API, helm replicaCount: 6)
// Counters live in Redis so all replicas share the same window.
// server.ts sets app.set('trust proxy', 1): exactly one hop (the ALB), so req.ip is the
// address the ALB saw, not whatever the client put in X-Forwarded-For.
import type { NextFunction, Request, Response } from 'express';
import { redis } from '../lib/redis';

const WINDOW_MS = 60_000;
const LIMITS = { apiKey: 1200, anonymous: 60 } as const;

export async function rateLimit(req: Request, res: Response, next: NextFunction) {
  const identity = req.apiKey ? `key:${req.apiKey.id}` : `ip:${req.ip}`;
  const limit = req.apiKey ? LIMITS.apiKey : LIMITS.anonymous;
  const bucket = Math.floor(Date.now() / WINDOW_MS);
  const key = `rl:${identity}:${bucket}`;

  try {
    const [[, count]] = (await redis.multi().incr(key).pexpire(key, WINDOW_MS * 2).exec()) as [[null, number], unknown];
    res.setHeader('X-RateLimit-Limit', limit);
    res.setHeader('X-RateLimit-Remaining', Math.max(0, limit - count));
    if (count > limit) {
      res.setHeader('Retry-After', Math.ceil(((bucket + 1) * WINDOW_MS - Date.now()) / 1000));
      return res.status(429).json({ error: 'rate limit exceeded' });
    }
    return next();
  } catch (err) {
    // fail open if Redis is down, but make it visible
    req.log.error({ err }, 'rate limiter unavailable');
    return next();
  }
}
