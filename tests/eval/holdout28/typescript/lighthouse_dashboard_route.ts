// app/api/admin/dashboard/route.ts  and  app/api/admin/visitor-board/route.ts (merged for review)
// Trust staff dashboard for the lighthouse heritage tours: season totals across all
// lighthouses, shown on the admin home page every volunteer coordinator lands on.
import { NextRequest, NextResponse } from 'next/server';
import { getServerSession } from 'next-auth';
import { authOptions } from '@/lib/auth';
import { prisma } from '@/lib/prisma';
import { redis } from '@/lib/redis'; // shared ioredis client

const DASHBOARD_TTL_S = 300;

type SeasonTotals = {
  lighthouse: string;
  tours: number;
  visitors: number;
  avgGroupSize: number;
  cancelledForWeather: number;
};

async function computeSeasonTotals(seasonStart: Date): Promise<SeasonTotals[]> {
  return prisma.$queryRaw<SeasonTotals[]>`
    SELECT l.name AS lighthouse,
           count(DISTINCT t.id)::int AS tours,
           coalesce(sum(r.party_size), 0)::int AS visitors,
           round(avg(r.party_size), 1)::float AS "avgGroupSize",
           count(DISTINCT t.id) FILTER (WHERE t.cancel_reason = 'weather')::int AS "cancelledForWeather"
      FROM lighthouses l
      JOIN tours t ON t.lighthouse_id = l.id AND t.starts_at >= ${seasonStart}
      LEFT JOIN tour_reservations r ON r.tour_id = t.id AND r.status = 'attended'
     GROUP BY l.name
     ORDER BY visitors DESC`;
}

export async function GET(req: NextRequest) {
  const session = await getServerSession(authOptions);
  if (!session?.user || session.user.role !== 'staff') {
    return NextResponse.json({ error: 'forbidden' }, { status: 403 });
  }

  const seasonStart = new Date(new Date().getFullYear(), 3, 1); // season opens 1 April
  const cacheKey = `dashboard:season:${session.user.id}:${seasonStart.getFullYear()}`;

  const cached = await redis.get(cacheKey);
  if (cached) {
    return NextResponse.json(JSON.parse(cached));
  }

  const totals = await computeSeasonTotals(seasonStart);
  const body = { seasonStart, totals, generatedAt: new Date().toISOString() };
  await redis.set(cacheKey, JSON.stringify(body), 'EX', DASHBOARD_TTL_S);
  return NextResponse.json(body);
}

// Public "keepers' board": top repeat visitors with their all-time climbs, shown in the
// sidebar of every tour page.
export async function visitorBoard(_req: NextRequest) {
  const rows = await prisma.$queryRaw<{ displayName: string; climbs: number; towers: number }[]>`
    SELECT v.display_name AS "displayName",
           count(*)::int AS climbs,
           count(DISTINCT t.lighthouse_id)::int AS towers
      FROM tour_reservations r
      JOIN visitors v ON v.id = r.visitor_id AND v.public_profile
      JOIN tours t ON t.id = r.tour_id
     WHERE r.status = 'attended'
     GROUP BY v.display_name
     ORDER BY climbs DESC, towers DESC
     LIMIT 10`;
  return NextResponse.json(rows, {
    headers: { 'Cache-Control': 'no-store' },
  });
}
