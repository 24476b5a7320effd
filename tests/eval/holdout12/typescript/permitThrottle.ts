/**
 * Q: "Our in-memory limiter lets through ~3x the limit since we scaled the permit portal to
 *     3 pods, and people get around it by sending their own X-Forwarded-For. How do I fix it?"
 *
 * A: Two changes:
 *   1. Keep the counters in Redis, so all pods share one count per client. INCR is atomic, and
 *      the key expires by itself, so there is nothing to clean up.
 *   2. Stop parsing X-Forwarded-For yourself. Tell Express how many proxies sit in front of the
 *      app (just the ALB) and use `req.ip`; Express then takes the address the ALB appended,
 *      not whatever the client put at the left of the header.
 */
import type { Express, NextFunction, Request, Response } from 'express';
import Redis from 'ioredis';

export const redis = new Redis(process.env.REDIS_URL!, {
  connectTimeout: 2_000,
  commandTimeout: 500,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
});

interface ThrottleOptions {
  prefix: string;
  windowSec: number;
  max: number;
}

export function configureProxy(app: Express): void {
  // exactly one hop (the ALB) in front of the pods
  app.set('trust proxy', 1);
}

export function throttle({ prefix, windowSec, max }: ThrottleOptions) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const nowSec = Math.floor(Date.now() / 1000);
    const windowId = Math.floor(nowSec / windowSec);
    const key = `throttle:${prefix}:${req.ip}:${windowId}`;

    try {
      const results = await redis.multi().incr(key).expire(key, windowSec * 2).exec();
      const count = Number(results?.[0]?.[1] ?? 0);

      res.setHeader('RateLimit-Limit', String(max));
      res.setHeader('RateLimit-Remaining', String(Math.max(0, max - count)));
      if (count > max) {
        res.setHeader('Retry-After', String(windowSec - (nowSec % windowSec)));
        return res.status(429).json({ error: 'Too many requests, please slow down.' });
      }
      return next();
    } catch (err) {
      // Redis unavailable: fail open so residents can still check their permits, but make it loud.
      console.warn('[throttle] redis unavailable, allowing request', { prefix, err });
      return next();
    }
  };
}

// Usage (server.ts):
//   configureProxy(app);
//   app.get('/api/permits/:ref/status', throttle({ prefix: 'permit-status', windowSec: 60, max: 30 }), statusHandler);
