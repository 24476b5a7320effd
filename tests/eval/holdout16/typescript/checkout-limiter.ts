// Yes — the Map-based limiter only counts requests that hit the same pod, so
// with 3 replicas a client effectively gets 3x the limit. Move the counter to
// Redis. Also use req.ip with `trust proxy` set to the number of proxies in
// front of the app, instead of reading X-Forwarded-For yourself.
import type { Request, Response, NextFunction, Express } from 'express';
import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL!, { connectTimeout: 2000, commandTimeout: 500 });

export function installLimiter(app: Express, opts = { windowSec: 60, max: 30 }) {
  app.set('trust proxy', 1); // exactly one hop: the ALB

  app.use('/api/checkout', async (req: Request, res: Response, next: NextFunction) => {
    const key = `rl:checkout:${req.ip}:${Math.floor(Date.now() / 1000 / opts.windowSec)}`;
    try {
      const [[, count]] = (await redis.multi().incr(key).expire(key, opts.windowSec).exec()) as [[null, number]];
      res.setHeader('X-RateLimit-Remaining', String(Math.max(0, opts.max - count)));
      if (count > opts.max) return res.status(429).json({ error: 'rate limit exceeded' });
      next();
    } catch (err) {
      req.log?.error({ err }, 'rate limiter unavailable');
      next(err);
    }
  });
}
