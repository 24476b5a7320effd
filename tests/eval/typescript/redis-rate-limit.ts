import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { NextRequest, NextResponse } from 'next/server';

const ratelimit = new Ratelimit({
  redis: Redis.fromEnv(),
  limiter: Ratelimit.slidingWindow(20, '10 s'),
  prefix: 'api',
});

export async function middleware(req: NextRequest) {
  const id = req.headers.get('authorization') ?? 'anonymous';
  const { success, reset } = await ratelimit.limit(id);
  if (!success) {
    return NextResponse.json({ error: 'slow down' }, { status: 429, headers: { 'Retry-After': String(reset) } });
  }
  return NextResponse.next();
}

export const config = { matcher: '/api/:path*' };
