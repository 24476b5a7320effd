import { Injectable, NestMiddleware, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response, NextFunction } from 'express';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** 10 requests per second per API key, bursts of 20. The API runs on 4 pods. */
@Injectable()
export class RateLimitMiddleware implements NestMiddleware {
  private readonly buckets = new Map<string, Bucket>();
  private readonly rate = 10;
  private readonly burst = 20;

  use(req: Request, _res: Response, next: NextFunction) {
    const key = (req.headers['x-api-key'] as string) ?? req.ip;
    const now = Date.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, updatedAt: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.updatedAt) / 1000) * this.rate);
    b.updatedAt = now;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      throw new HttpException('rate limit exceeded', HttpStatus.TOO_MANY_REQUESTS);
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    next();
  }
}
