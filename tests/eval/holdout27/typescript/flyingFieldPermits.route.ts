// app/api/permits/route.ts
// Flying-field permits for model-aircraft clubs. Many clubs share the app; every
// query is scoped to the signed-in member's club.

import { NextRequest, NextResponse } from 'next/server';
import { Prisma } from '@prisma/client';
import { prisma } from '@/lib/prisma';
import { requireClubMember } from '@/lib/auth';
import { logger } from '@/lib/logger';

const PAGE_MAX = 100;

async function checkInsurance(membershipNo: string): Promise<boolean> {
  const res = await fetch(`${process.env.INSURANCE_API_URL}/members/${encodeURIComponent(membershipNo)}/cover`, {
    headers: { authorization: `Bearer ${process.env.INSURANCE_API_TOKEN}` },
    signal: AbortSignal.timeout(5000),
    cache: 'no-store',
  });
  if (res.status === 404) return false;
  if (!res.ok) throw new Error(`insurance lookup failed: ${res.status}`);
  const body = (await res.json()) as { active: boolean };
  return body.active;
}

// GET /api/permits?cursor=...&take=50
export async function GET(req: NextRequest) {
  const member = await requireClubMember(req);
  const take = Math.min(Number(req.nextUrl.searchParams.get('take') ?? 25) || 25, PAGE_MAX);
  const cursor = req.nextUrl.searchParams.get('cursor');

  const permits = await prisma.fieldPermit.findMany({
    where: { clubId: member.clubId },
    orderBy: { id: 'desc' },
    take: take + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: { id: true, pilotName: true, aircraftClass: true, validFrom: true, validTo: true },
  });
  const hasMore = permits.length > take;
  const items = hasMore ? permits.slice(0, take) : permits;
  return NextResponse.json({ items, nextCursor: hasMore ? items[items.length - 1].id : null });
}

// POST /api/permits  (Idempotency-Key header required; the tablet app retries on flaky field wifi)
export async function POST(req: NextRequest) {
  const member = await requireClubMember(req);
  const idempotencyKey = req.headers.get('idempotency-key');
  if (!idempotencyKey) {
    return NextResponse.json({ error: 'Idempotency-Key header is required' }, { status: 400 });
  }

  const body = (await req.json()) as { membershipNo: string; pilotName: string; aircraftClass: string; validTo: string };

  if (!(await checkInsurance(body.membershipNo))) {
    return NextResponse.json({ error: 'No active insurance for this membership number' }, { status: 422 });
  }

  try {
    const permit = await prisma.fieldPermit.create({
      data: {
        clubId: member.clubId,
        idempotencyKey,
        membershipNo: body.membershipNo,
        pilotName: body.pilotName,
        aircraftClass: body.aircraftClass,
        validFrom: new Date(),
        validTo: new Date(body.validTo),
        issuedById: member.id,
      },
    });
    return NextResponse.json(permit, { status: 201 });
  } catch (err) {
    // (clubId, idempotencyKey) is unique: a replayed request returns the permit created the first time
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      const existing = await prisma.fieldPermit.findUnique({
        where: { clubId_idempotencyKey: { clubId: member.clubId, idempotencyKey } },
      });
      return NextResponse.json(existing, { status: 200 });
    }
    logger.error({ err, clubId: member.clubId }, 'failed to issue field permit');
    throw err;
  }
}
