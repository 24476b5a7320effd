// app/api/contests/[contestId]/route.ts
// Amateur radio contest logs: leaderboard (GET) and adjudication trigger (POST).
import { NextRequest, NextResponse } from 'next/server';
import { Prisma } from '@prisma/client';
import { prisma } from '@/lib/prisma';
import { redis } from '@/lib/redis';
import { getSession } from '@/lib/auth';
import { crossCheckAllLogs } from '@/lib/adjudication';

export const runtime = 'nodejs';

type Row = { callsign: string; category: string; qsos: number; multipliers: number; score: number };

async function computeLeaderboard(contestId: string): Promise<Row[]> {
  // Claimed score = valid QSO points x distinct (band, DXCC entity) multipliers.
  return prisma.$queryRaw<Row[]>(Prisma.sql`
    SELECT l.callsign,
           l.category,
           count(q.id)::int AS qsos,
           count(DISTINCT (q.band, q.dxcc_entity))::int AS multipliers,
           (sum(q.points) * count(DISTINCT (q.band, q.dxcc_entity)))::int AS score
      FROM contest_logs l
      JOIN qsos q ON q.log_id = l.id AND q.dupe = false
     WHERE l.contest_id = ${contestId}
     GROUP BY l.callsign, l.category
     ORDER BY score DESC
     LIMIT 200`);
}

export async function GET(_req: NextRequest, { params }: { params: { contestId: string } }) {
  const key = `contest:${params.contestId}:leaderboard`;
  const cached = await redis.get(key);
  if (cached) {
    return NextResponse.json(JSON.parse(cached), { headers: { 'x-cache': 'hit' } });
  }

  const rows = await computeLeaderboard(params.contestId);
  await redis.set(key, JSON.stringify(rows), 'EX', 30);
  return NextResponse.json(rows, { headers: { 'x-cache': 'miss' } });
}

// Adjudicators press "Run cross-check" once the log deadline has passed.
export async function POST(req: NextRequest, { params }: { params: { contestId: string } }) {
  const session = await getSession(req);
  if (!session?.roles.includes('adjudicator')) {
    return NextResponse.json({ error: 'forbidden' }, { status: 403 });
  }

  const contest = await prisma.contest.findUnique({ where: { id: params.contestId } });
  if (!contest) return NextResponse.json({ error: 'not found' }, { status: 404 });
  if (contest.logDeadline > new Date()) {
    return NextResponse.json({ error: 'log deadline has not passed' }, { status: 409 });
  }

  // Matches every QSO against the other station's log (busted calls, wrong exchange,
  // not-in-log). For the big HF weekends that is ~180k QSOs and takes several minutes.
  const report = await crossCheckAllLogs(params.contestId, { tolerateMinutes: 3 });

  await prisma.contest.update({
    where: { id: params.contestId },
    data: { adjudicatedAt: new Date(), adjudicationSummary: report.summary },
  });
  await redis.del(`contest:${params.contestId}:leaderboard`);

  return NextResponse.json({
    checked: report.totalQsos,
    busted: report.bustedCalls,
    notInLog: report.notInLog,
  });
}
