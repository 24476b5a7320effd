// app/api/webhooks/timing/route.ts
// The track's timing system (transponder loops) posts a batch of completed laps
// after every session block. We store the laps, bump each rider's season totals and
// ask the public leaderboard service to refresh.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { NextResponse } from 'next/server';
import { prisma } from '@/lib/prisma';

interface LapEvent {
  deliveryId: string;
  sessionId: string;
  laps: { transponder: string; lapNo: number; lapMs: number; crossedAt: string }[];
}

const LEADERBOARD_URL = process.env.LEADERBOARD_URL!;

function validSignature(body: string, sig: string | null): boolean {
  if (!sig) return false;
  const mac = createHmac('sha256', process.env.TIMING_WEBHOOK_SECRET!).update(body).digest('hex');
  return mac.length === sig.length && timingSafeEqual(Buffer.from(mac), Buffer.from(sig));
}

export async function POST(req: Request) {
  const raw = await req.text();
  if (!validSignature(raw, req.headers.get('x-timing-signature'))) {
    return NextResponse.json({ error: 'bad signature' }, { status: 401 });
  }
  const event = JSON.parse(raw) as LapEvent;

  const transponders = [...new Set(event.laps.map((l) => l.transponder))];
  const riders = await prisma.rider.findMany({
    where: { transponder: { in: transponders } },
    select: { id: true, transponder: true },
  });
  const riderByTransponder = new Map(riders.map((r) => [r.transponder, r.id]));

  const laps = event.laps
    .filter((l) => riderByTransponder.has(l.transponder))
    .map((l) => ({
      sessionId: event.sessionId,
      riderId: riderByTransponder.get(l.transponder)!,
      lapNo: l.lapNo,
      lapMs: l.lapMs,
      crossedAt: new Date(l.crossedAt),
    }));

  const lapsPerRider = new Map<string, number>();
  for (const l of laps) lapsPerRider.set(l.riderId, (lapsPerRider.get(l.riderId) ?? 0) + 1);

  await prisma.$transaction([
    prisma.lap.createMany({ data: laps }),
    ...[...lapsPerRider].map(([riderId, n]) =>
      prisma.riderSeasonStats.update({
        where: { riderId },
        data: { totalLaps: { increment: n }, sessionsRidden: { increment: 1 } },
      }),
    ),
  ]);

  await fetch(`${LEADERBOARD_URL}/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessionId: event.sessionId }),
  });

  return NextResponse.json({ stored: laps.length });
}
