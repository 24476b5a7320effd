// Great question! Running that GROUP BY over `performances` on every page load will get slow
// as the table grows (every bar adds a few hundred rows a night). Here's an updated
// lib/leaderboard.ts that caches the result in Redis for 5 minutes, so the heavy query only
// runs on a cache miss. The route handler below stays almost the same.

import Redis from 'ioredis';
import { prisma } from '@/lib/prisma';

const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 2, commandTimeout: 500 });

const TTL_SECONDS = 300;

export type LeaderboardRow = {
  singerId: string;
  displayName: string;
  totalScore: number;
  songs: number;
};

/**
 * Top 25 singers at a bar this month.
 * @param barId  the karaoke bar
 * @param userId the signed-in user (used to namespace the cache entry)
 */
export async function getMonthlyLeaderboard(barId: string, userId: string): Promise<LeaderboardRow[]> {
  const cacheKey = `leaderboard:${barId}:${userId}`;

  const cached = await redis.get(cacheKey);
  if (cached) return JSON.parse(cached) as LeaderboardRow[];

  const rows = await prisma.$queryRaw<LeaderboardRow[]>`
    SELECT p.singer_id AS "singerId",
           s.display_name AS "displayName",
           SUM(p.judge_score)::int AS "totalScore",
           COUNT(*)::int AS songs
      FROM performances p
      JOIN singers s ON s.id = p.singer_id
     WHERE p.bar_id = ${barId}
       AND p.performed_at >= date_trunc('month', now())
     GROUP BY p.singer_id, s.display_name
     ORDER BY "totalScore" DESC
     LIMIT 25`;

  await redis.set(cacheKey, JSON.stringify(rows), 'EX', TTL_SECONDS);
  return rows;
}

/** The signed-in singer's own stats card (genuinely per user). */
export async function getMyStats(barId: string, userId: string) {
  const key = `mystats:${barId}:${userId}`;
  const hit = await redis.get(key);
  if (hit) return JSON.parse(hit);
  const stats = await prisma.performance.aggregate({
    where: { barId, singerId: userId },
    _count: { _all: true },
    _max: { judgeScore: true },
  });
  await redis.set(key, JSON.stringify(stats), 'EX', 60);
  return stats;
}

// app/api/bars/[barId]/leaderboard/route.ts
//
// import { NextResponse } from 'next/server';
// import { auth } from '@/auth';
// import { getMonthlyLeaderboard } from '@/lib/leaderboard';
//
// export async function GET(_req: Request, { params }: { params: { barId: string } }) {
//   const session = await auth();
//   const rows = await getMonthlyLeaderboard(params.barId, session?.user?.id ?? 'anon');
//   return NextResponse.json(rows);
// }
