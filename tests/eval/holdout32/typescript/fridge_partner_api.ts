// Partner API for the community fridge network: food-sharing apps and supermarkets
// query fridge status with an API key. Runs as 3 replicas on Fly, so request counts
// live in Redis rather than in each process.
import type { NextFunction, Request, Response } from "express";
import Redis from "ioredis";
import { logger } from "./logger";

export const redis = new Redis(process.env.REDIS_URL!, {
  connectTimeout: 2000,
  commandTimeout: 1000,
  maxRetriesPerRequest: 2,
});

const WINDOW_SECONDS = 60;
const LIMIT_PER_WINDOW = 120;

/** Fixed-window limit per partner API key (already authenticated by apiKeyAuth). */
export async function partnerRateLimit(req: Request, res: Response, next: NextFunction) {
  const partnerId = res.locals.partner.id as string;
  const window = Math.floor(Date.now() / 1000 / WINDOW_SECONDS);
  const key = `rl:partner:${partnerId}:${window}`;
  try {
    const [[, count]] = (await redis.multi().incr(key).expire(key, WINDOW_SECONDS * 2).exec()) as [
      [Error | null, number],
      [Error | null, number],
    ];
    res.setHeader("X-RateLimit-Limit", LIMIT_PER_WINDOW);
    res.setHeader("X-RateLimit-Remaining", Math.max(0, LIMIT_PER_WINDOW - count));
    if (count > LIMIT_PER_WINDOW) {
      return res.status(429).json({ error: "rate limit exceeded" });
    }
    next();
  } catch (err) {
    logger.error({ err, partnerId }, "rate limiter unavailable");
    next(err);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Food hygiene rating of the host premises, shown next to each fridge.
 * Up to 4 attempts, exponential backoff with full jitter, capped at 5 s per wait.
 */
export async function fetchHygieneRating(establishmentId: string): Promise<{ rating: string; inspected: string }> {
  const maxAttempts = 4;
  let lastError: unknown;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    try {
      const res = await fetch(`https://api.ratings.food.gov.uk/Establishments/${establishmentId}`, {
        headers: { "x-api-version": "2", accept: "application/json" },
        signal: AbortSignal.timeout(3000),
      });
      if (res.status >= 500) throw new Error(`ratings api ${res.status}`);
      if (!res.ok) throw Object.assign(new Error(`ratings api ${res.status}`), { permanent: true });
      const body = await res.json();
      return { rating: body.RatingValue, inspected: body.RatingDate };
    } catch (err) {
      lastError = err;
      if ((err as { permanent?: boolean }).permanent) break;
      const backoff = Math.min(5000, 250 * 2 ** attempt);
      logger.warn({ err, establishmentId, attempt }, "hygiene rating lookup failed, retrying");
      await sleep(Math.random() * backoff);
    }
  }
  throw lastError;
}
