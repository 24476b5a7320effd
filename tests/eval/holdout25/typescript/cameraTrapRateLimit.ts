// src/middleware/uploadRateLimit.ts
// Per-device upload limit for the camera-trap ingest API. The API runs on several pods,
// so the counters live in Redis, not in process memory.
import type { NextFunction, Request, Response } from 'express';
import Redis from 'ioredis';
import { logger } from '../logger';

export const redis = new Redis(process.env.REDIS_URL!, {
  connectTimeout: 2000,
  commandTimeout: 500,
  maxRetriesPerRequest: 2,
  enableOfflineQueue: false,
});

const WINDOW_SECONDS = 60;
const MAX_UPLOADS_PER_WINDOW = 120; // a trap in burst mode sends ~1 frame/second

interface AuthedRequest extends Request {
  device?: { id: string; projectId: string };
}

/**
 * Fixed-window counter keyed by the authenticated device id (from the device's API key,
 * checked by the auth middleware that runs before this one). INCR and EXPIRE go in one
 * MULTI so the key always gets a TTL.
 */
export async function uploadRateLimit(req: AuthedRequest, res: Response, next: NextFunction) {
  if (!req.device) {
    res.status(401).json({ error: 'device not authenticated' });
    return;
  }

  const windowStart = Math.floor(Date.now() / 1000 / WINDOW_SECONDS);
  const key = `ratelimit:trap-upload:${req.device.id}:${windowStart}`;

  try {
    const results = await redis.multi().incr(key).expire(key, WINDOW_SECONDS * 2).exec();
    const count = Number(results?.[0]?.[1] ?? 0);

    res.setHeader('RateLimit-Limit', MAX_UPLOADS_PER_WINDOW);
    res.setHeader('RateLimit-Remaining', Math.max(0, MAX_UPLOADS_PER_WINDOW - count));

    if (count > MAX_UPLOADS_PER_WINDOW) {
      res.setHeader('Retry-After', WINDOW_SECONDS);
      res.status(429).json({ error: 'upload rate exceeded, retry later' });
      return;
    }
    next();
  } catch (err) {
    // Redis unavailable: fail closed for uploads (devices buffer locally and retry).
    logger.error({ err, deviceId: req.device.id }, 'rate limiter unavailable');
    res.status(503).json({ error: 'temporarily unavailable' });
  }
}
