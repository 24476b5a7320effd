import type { NextFunction, Request, Response } from 'express';
import { redis } from '../lib/redis'; // shared ioredis client

const WINDOW_SECONDS = 60;
const LIMIT_PER_WINDOW = 600;

// The public API runs on 6 pods, so the counters live in Redis, not in process memory.
// Keyed by the API key resolved in the auth middleware (never by a client-supplied header).
export async function apiKeyRateLimit(req: Request, res: Response, next: NextFunction) {
  const apiKeyId: string = res.locals.apiKeyId;
  const windowStart = Math.floor(Date.now() / 1000 / WINDOW_SECONDS);
  const key = `rl:api:${apiKeyId}:${windowStart}`;

  try {
    const results = await redis.multi().incr(key).expire(key, WINDOW_SECONDS * 2).exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    res.setHeader('X-RateLimit-Limit', LIMIT_PER_WINDOW);
    res.setHeader('X-RateLimit-Remaining', Math.max(0, LIMIT_PER_WINDOW - count));
    if (count > LIMIT_PER_WINDOW) {
      return res.status(429).json({ error: 'rate_limited', retryAfterSeconds: WINDOW_SECONDS });
    }
    return next();
  } catch (err) {
    // Fail open if Redis is down, but make it loud.
    req.log.error({ err }, 'rate limiter unavailable, letting request through');
    return next();
  }
}
