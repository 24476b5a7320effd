// middleware/rateLimit.ts
// Rate limiting for the allotment water-butt API. The API runs as 3 containers behind
// the council's load balancer, so counters live in Redis (shared by all of them).
// Requests are limited per authenticated plot holder, not per IP: half the site
// shares the clubhouse Wi-Fi.
import type { NextFunction, Request, Response } from 'express';
import Redis from 'ioredis';

export const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', {
  connectTimeout: 2000,
  commandTimeout: 500,
  maxRetriesPerRequest: 2,
  enableOfflineQueue: false,
});

export interface LimitRule {
  name: string;
  limit: number;
  windowSeconds: number;
}

export const RULES = {
  reserveSlot: { name: 'reserve', limit: 20, windowSeconds: 3600 },
  readSlots: { name: 'read', limit: 300, windowSeconds: 60 },
} satisfies Record<string, LimitRule>;

// Fixed-window counter; INCR and EXPIRE go in one MULTI so a key never lives forever.
async function hit(rule: LimitRule, subject: string): Promise<{ count: number; ttl: number }> {
  const window = Math.floor(Date.now() / 1000 / rule.windowSeconds);
  const key = `rl:${rule.name}:${subject}:${window}`;
  const results = await redis
    .multi()
    .incr(key)
    .expire(key, rule.windowSeconds, 'NX')
    .ttl(key)
    .exec();
  if (!results) throw new Error('rate limit transaction aborted');
  for (const [err] of results) {
    if (err) throw err;
  }
  return { count: Number(results[0][1]), ttl: Number(results[2][1]) };
}

export function rateLimit(rule: LimitRule) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const plotHolderId = (req as Request & { plotHolder?: { id: string } }).plotHolder?.id;
    if (!plotHolderId) {
      res.status(401).json({ error: 'sign in first' });
      return;
    }
    try {
      const { count, ttl } = await hit(rule, plotHolderId);
      res.setHeader('RateLimit-Limit', String(rule.limit));
      res.setHeader('RateLimit-Remaining', String(Math.max(rule.limit - count, 0)));
      res.setHeader('RateLimit-Reset', String(Math.max(ttl, 0)));
      if (count > rule.limit) {
        res.status(429).json({ error: 'too many requests, try again later' });
        return;
      }
      next();
    } catch (err) {
      // Let the error middleware log it and answer 503; we do not silently skip limiting.
      next(err);
    }
  };
}

// usage (app.ts):
//   app.get('/butts/:id/slots', authenticatePlotHolder, rateLimit(RULES.readSlots), listSlots);
//   app.post('/butts/:id/slots', authenticatePlotHolder, rateLimit(RULES.reserveSlot), reserveSlot);
