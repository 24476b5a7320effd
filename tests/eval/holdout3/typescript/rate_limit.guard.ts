import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectRedis } from '@nestjs-modules/ioredis';
import type Redis from 'ioredis';
import type { Request, Response } from 'express';

export const RATE_LIMIT_KEY = 'rateLimit';
export const RateLimit = (limit: number, windowSeconds: number) =>
  SetMetadata(RATE_LIMIT_KEY, { limit, windowSeconds });

/**
 * Fixed-window rate limiter shared by all API pods (we run 5 replicas), so the
 * counters live in Redis, not in process memory.
 *
 * Client address: main.ts sets `app.set('trust proxy', 1)` (exactly one hop: the
 * AWS ALB), so req.ip is the address the ALB saw, not a client-supplied header.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger(RateLimitGuard.name);

  constructor(
    private readonly reflector: Reflector,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const opts = this.reflector.getAllAndOverride<{ limit: number; windowSeconds: number }>(RATE_LIMIT_KEY, [
      context.getHandler(),
      context.getClass(),
    ]) ?? { limit: 100, windowSeconds: 60 };

    const http = context.switchToHttp();
    const req = http.getRequest<Request & { user?: { id: string } }>();
    const res = http.getResponse<Response>();

    const subject = req.user?.id ? `u:${req.user.id}` : `ip:${req.ip}`;
    const window = Math.floor(Date.now() / 1000 / opts.windowSeconds);
    const key = `rl:${context.getClass().name}:${context.getHandler().name}:${subject}:${window}`;

    let count: number;
    try {
      const [[, incr]] = (await this.redis
        .multi()
        .incr(key)
        .expire(key, opts.windowSeconds + 1)
        .exec()) as [[Error | null, number], [Error | null, number]];
      count = incr;
    } catch (err) {
      // fail open, but make it visible: Redis trouble must not take the API down
      this.logger.error(`rate limiter unavailable: ${(err as Error).message}`);
      return true;
    }

    res.setHeader('X-RateLimit-Limit', opts.limit);
    res.setHeader('X-RateLimit-Remaining', Math.max(0, opts.limit - count));

    if (count > opts.limit) {
      throw new HttpException('Too Many Requests', HttpStatus.TOO_MANY_REQUESTS);
    }
    return true;
  }
}
