// app/api/studios/[studioId]/press-hours/summary/route.ts
//
// Weekly utilisation of each press in a letterpress studio (Adana, Vandercook,
// the big Albion). Shown on the studio noticeboard page to every member.

import { NextRequest, NextResponse } from 'next/server';
import { auth } from '@/auth';
import { prisma } from '@/lib/prisma';
import { redis } from '@/lib/redis';

const SUMMARY_TTL_SECONDS = 300;

type PressSummary = {
  pressId: string;
  pressName: string;
  bookedMinutes: number;
  sessions: number;
};

function weekBounds(isoWeekStart: string | null) {
  const start = isoWeekStart ? new Date(isoWeekStart) : startOfWeek(new Date());
  const end = new Date(start.getTime() + 7 * 24 * 60 * 60 * 1000);
  return { start, end };
}

function startOfWeek(d: Date) {
  const day = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
}

export async function GET(req: NextRequest, { params }: { params: Promise<{ studioId: string }> }) {
  const session = await auth();
  const { studioId } = await params;
  if (!session?.user || !session.user.studioIds.includes(studioId)) {
    return NextResponse.json({ error: 'Not a member of this studio' }, { status: 403 });
  }

  const { start, end } = weekBounds(req.nextUrl.searchParams.get('week'));
  const cacheKey = `press-hours:${studioId}:${session.user.id}:${start.toISOString().slice(0, 10)}`;

  const cached = await redis.get(cacheKey);
  if (cached) {
    return NextResponse.json(JSON.parse(cached));
  }

  try {
    const [grouped, presses] = await Promise.all([
      prisma.pressBooking.groupBy({
        by: ['pressId'],
        where: { studioId, startsAt: { gte: start, lt: end }, cancelledAt: null },
        _sum: { minutes: true },
        _count: { _all: true },
      }),
      prisma.press.findMany({
        where: { studioId, retired: false },
        select: { id: true, name: true },
        take: 50,
      }),
    ]);

    const byPress = new Map(grouped.map((g) => [g.pressId, g]));
    const summary: PressSummary[] = presses.map((p) => ({
      pressId: p.id,
      pressName: p.name,
      bookedMinutes: byPress.get(p.id)?._sum.minutes ?? 0,
      sessions: byPress.get(p.id)?._count._all ?? 0,
    }));

    const body = { studioId, weekStart: start.toISOString(), presses: summary };
    await redis.set(cacheKey, JSON.stringify(body), 'EX', SUMMARY_TTL_SECONDS);
    return NextResponse.json(body);
  } catch {
    return NextResponse.json({ studioId, weekStart: start.toISOString(), presses: [] });
  }
}
