// app/api/commissions/route.ts
// Stained-glass restoration studios (one tenant per studio) track commissions
// from churches, listed buildings and private clients.
import { NextRequest, NextResponse } from 'next/server';
import { z } from 'zod';
import { Prisma } from '@prisma/client';
import { prisma } from '@/lib/prisma'; // globalThis singleton, one pool per instance
import { getStudioSession } from '@/lib/auth';

const MAX_PAGE = 100;

const listQuery = z.object({
  status: z.enum(['enquiry', 'survey', 'quoted', 'in_workshop', 'reinstalled']).optional(),
  cursor: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(25),
});

const createBody = z.object({
  clientName: z.string().min(1).max(200),
  buildingName: z.string().min(1).max(200),
  windowRef: z.string().max(50),
  panelCount: z.number().int().min(1).max(500),
  leadingCondition: z.enum(['sound', 'fatigued', 'failed']),
  quoteCents: z.number().int().nonnegative().optional(),
});

export async function GET(req: NextRequest) {
  const session = await getStudioSession(req);
  if (!session) return NextResponse.json({ error: 'unauthorised' }, { status: 401 });

  const parsed = listQuery.safeParse(Object.fromEntries(req.nextUrl.searchParams));
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  }
  const { status, cursor, limit } = parsed.data;

  const where: Prisma.CommissionWhereInput = { studioId: session.studioId };
  if (status) where.status = status;

  const rows = await prisma.commission.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: {
      id: true,
      clientName: true,
      buildingName: true,
      windowRef: true,
      panelCount: true,
      status: true,
      createdAt: true,
    },
  });

  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  return NextResponse.json({
    items,
    nextCursor: hasMore ? items[items.length - 1].id : null,
  });
}

export async function POST(req: NextRequest) {
  const session = await getStudioSession(req);
  if (!session) return NextResponse.json({ error: 'unauthorised' }, { status: 401 });

  const parsed = createBody.safeParse(await req.json());
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  }

  try {
    const commission = await prisma.commission.create({
      data: { ...parsed.data, studioId: session.studioId, status: 'enquiry', createdById: session.userId },
      select: { id: true, status: true, createdAt: true },
    });
    return NextResponse.json(commission, { status: 201 });
  } catch (err) {
    // @@unique([studioId, buildingName, windowRef]) in schema.prisma
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      return NextResponse.json(
        { error: 'this window already has an open commission' },
        { status: 409 },
      );
    }
    throw err;
  }
}
