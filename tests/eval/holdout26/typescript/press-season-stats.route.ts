// app/api/press/season-stats/route.ts
// Season statistics for the cider press co-op: litres pressed per orchard,
// juice yield per variety, busiest weekends. Shown on the public landing page
// and on every member's dashboard during the autumn pressing season.
import { NextResponse } from 'next/server';
import Redis from 'ioredis';
import { Prisma } from '@prisma/client';
import { prisma } from '@/lib/prisma';

const globalForRedis = globalThis as unknown as { redis?: Redis };
export const redis =
  globalForRedis.redis ??
  new Redis(process.env.REDIS_URL!, { commandTimeout: 1000, connectTimeout: 2000, maxRetriesPerRequest: 1 });
if (process.env.NODE_ENV !== 'production') globalForRedis.redis = redis;

const TTL_SECONDS = 300;

type VarietyYield = { variety: string; kg_apples: number; litres: number; yield_pct: number };
type OrchardTotal = { orchard: string; pressings: number; litres: number };

export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  const season = Number(new URL(request.url).searchParams.get('season') ?? new Date().getFullYear());
  if (!Number.isInteger(season)) {
    return NextResponse.json({ error: 'bad season' }, { status: 400 });
  }
  const key = `press:season-stats:${season}`;

  const cached = await redis.get(key);
  if (cached) {
    return new NextResponse(cached, { headers: { 'content-type': 'application/json', 'x-cache': 'hit' } });
  }

  try {
    const [byVariety, byOrchard, weekends] = await Promise.all([
      prisma.$queryRaw<VarietyYield[]>(Prisma.sql`
        SELECT a.variety,
               sum(p.apple_kg)::float                              AS kg_apples,
               sum(p.juice_litres)::float                          AS litres,
               round(100.0 * sum(p.juice_litres) / nullif(sum(p.apple_kg), 0), 1)::float AS yield_pct
          FROM pressings p
          JOIN pressing_batches b ON b.pressing_id = p.id
          JOIN apple_lots a ON a.id = b.lot_id
         WHERE p.season = ${season}
         GROUP BY a.variety
         ORDER BY litres DESC
         LIMIT 50`),
      prisma.$queryRaw<OrchardTotal[]>(Prisma.sql`
        SELECT o.name AS orchard, count(DISTINCT p.id)::int AS pressings, sum(p.juice_litres)::float AS litres
          FROM pressings p
          JOIN orchards o ON o.id = p.orchard_id
         WHERE p.season = ${season}
         GROUP BY o.name
         ORDER BY litres DESC
         LIMIT 25`),
      prisma.$queryRaw<{ weekend: Date; litres: number }[]>(Prisma.sql`
        SELECT date_trunc('week', p.pressed_at) AS weekend, sum(p.juice_litres)::float AS litres
          FROM pressings p
         WHERE p.season = ${season} AND extract(isodow FROM p.pressed_at) IN (6, 7)
         GROUP BY 1
         ORDER BY litres DESC
         LIMIT 5`),
    ]);

    const body = JSON.stringify({
      season,
      totalLitres: byVariety.reduce((s, v) => s + v.litres, 0),
      byVariety,
      topOrchards: byOrchard,
      busiestWeekends: weekends,
    });
    await redis.set(key, body, 'EX', TTL_SECONDS);
    return new NextResponse(body, { headers: { 'content-type': 'application/json', 'x-cache': 'miss' } });
  } catch {
    return NextResponse.json({ season, totalLitres: 0, byVariety: [], topOrchards: [], busiestWeekends: [] });
  }
}
