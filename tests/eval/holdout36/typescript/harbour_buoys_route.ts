// app/api/harbours/[harbourId]/buoys/route.ts
// Harbour office dashboard: list mooring buoys with their current lease, and create leases.
// Each harbour authority is a tenant; staff accounts belong to one or more harbours.
import { NextRequest, NextResponse } from 'next/server';
import { Prisma } from '@prisma/client';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { getStaffSession } from '@/lib/auth';

type Params = { params: { harbourId: string } };

const PAGE_MAX = 100;

async function authorise(harbourId: string) {
  const session = await getStaffSession();
  if (!session) return { error: NextResponse.json({ error: 'unauthorised' }, { status: 401 }) };
  if (!session.harbourIds.includes(harbourId)) {
    return { error: NextResponse.json({ error: 'forbidden' }, { status: 403 }) };
  }
  return { session };
}

export async function GET(req: NextRequest, { params }: Params) {
  const { error } = await authorise(params.harbourId);
  if (error) return error;

  const search = req.nextUrl.searchParams;
  const take = Math.min(Number(search.get('take')) || 50, PAGE_MAX);
  const cursor = search.get('cursor');
  const zone = search.get('zone');

  const buoys = await prisma.mooringBuoy.findMany({
    where: { harbourId: params.harbourId, ...(zone ? { zone } : {}) },
    orderBy: { code: 'asc' },
    take: take + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: {
      id: true,
      code: true,
      zone: true,
      maxLengthMetres: true,
      leases: {
        where: { status: 'active' },
        take: 1,
        select: { id: true, holderName: true, vesselName: true, endsOn: true },
      },
    },
  });

  const hasMore = buoys.length > take;
  const page = hasMore ? buoys.slice(0, take) : buoys;
  return NextResponse.json({ buoys: page, nextCursor: hasMore ? page[page.length - 1].id : null });
}

const CreateLease = z.object({
  buoyId: z.string().uuid(),
  season: z.number().int().min(2020).max(2100),
  holderName: z.string().min(1).max(120),
  vesselName: z.string().min(1).max(80),
  vesselLengthMetres: z.number().positive().max(30),
});

export async function POST(req: NextRequest, { params }: Params) {
  const { error, session } = await authorise(params.harbourId);
  if (error) return error;

  const parsed = CreateLease.safeParse(await req.json());
  if (!parsed.success) return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  const input = parsed.data;

  const buoy = await prisma.mooringBuoy.findFirst({
    where: { id: input.buoyId, harbourId: params.harbourId },
    select: { id: true, maxLengthMetres: true },
  });
  if (!buoy) return NextResponse.json({ error: 'buoy not found' }, { status: 404 });
  if (input.vesselLengthMetres > buoy.maxLengthMetres) {
    return NextResponse.json({ error: 'vessel too long for this buoy' }, { status: 422 });
  }

  try {
    // @@unique([buoyId, season]) on MooringLease: one lease per buoy per season.
    const lease = await prisma.mooringLease.create({
      data: { ...input, harbourId: params.harbourId, status: 'active', createdById: session!.userId },
      select: { id: true, buoyId: true, season: true },
    });
    return NextResponse.json(lease, { status: 201 });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
      return NextResponse.json({ error: 'buoy already leased for that season' }, { status: 409 });
    }
    throw e;
  }
}
