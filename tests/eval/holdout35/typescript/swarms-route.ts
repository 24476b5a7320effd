// app/api/swarms/route.ts  and  app/api/swarms/[id]/claim/route.ts (pasted together)
// Beekeeping swarm callouts: members of the public report a swarm, and local
// beekeepers on the county collectors list see open callouts and claim them.
import { NextRequest, NextResponse } from 'next/server';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { redis } from '@/lib/redis';
import { auth } from '@/lib/auth';

const OPEN_SWARMS_TTL_SECONDS = 60;

type OpenSwarm = {
  id: string;
  reportedAt: Date;
  parish: string;
  approxLocation: string;
  heightMetres: number | null;
  clusterSize: 'small' | 'medium' | 'large';
};

// GET /api/swarms — open callouts in the county, newest first (collectors' map)
export async function GET(req: NextRequest) {
  const session = await auth();
  if (!session?.user) return NextResponse.json({ error: 'sign in' }, { status: 401 });

  const county = req.nextUrl.searchParams.get('county') ?? session.user.county;
  const cacheKey = `swarms:open:${county}:${session.user.id}`;

  const cached = await redis.get(cacheKey);
  if (cached) return NextResponse.json(JSON.parse(cached));

  const swarms: OpenSwarm[] = await prisma.swarmCallout.findMany({
    where: { county, status: 'OPEN' },
    orderBy: { reportedAt: 'desc' },
    take: 200,
    select: {
      id: true, reportedAt: true, parish: true, approxLocation: true,
      heightMetres: true, clusterSize: true,
    },
  });

  await redis.set(cacheKey, JSON.stringify(swarms), 'EX', OPEN_SWARMS_TTL_SECONDS);
  return NextResponse.json(swarms);
}

const claimBody = z.object({ etaMinutes: z.number().int().min(5).max(240) });

// POST /api/swarms/[id]/claim — a collector takes the callout
export async function POST(req: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const session = await auth();
  if (!session?.user) return NextResponse.json({ error: 'sign in' }, { status: 401 });
  const { id } = await params;
  const parsed = claimBody.safeParse(await req.json());
  if (!parsed.success) return NextResponse.json({ error: 'bad eta' }, { status: 400 });

  // Only one collector can take a callout: the status condition makes this atomic.
  const claimed = await prisma.swarmCallout.updateMany({
    where: { id, status: 'OPEN' },
    data: { status: 'CLAIMED', collectorId: session.user.id, etaMinutes: parsed.data.etaMinutes, claimedAt: new Date() },
  });
  if (claimed.count === 0) {
    return NextResponse.json({ error: 'already claimed' }, { status: 409 });
  }

  // Season tally for the collectors' league table.
  const collector = await prisma.beekeeper.findUniqueOrThrow({
    where: { id: session.user.id },
    select: { swarmsThisSeason: true, lastCalloutAt: true },
  });
  await prisma.beekeeper.update({
    where: { id: session.user.id },
    data: { swarmsThisSeason: collector.swarmsThisSeason + 1, lastCalloutAt: new Date() },
  });

  return NextResponse.json({ ok: true, swarmsThisSeason: collector.swarmsThisSeason + 1 });
}
