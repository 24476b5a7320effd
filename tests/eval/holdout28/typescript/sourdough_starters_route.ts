// app/api/starters/route.ts
// Sourdough starter swap registry. Members list the starters they can share and browse
// what other members in their bakers' circle are offering. A circle is the tenant.
import { NextRequest, NextResponse } from 'next/server';
import { Prisma } from '@prisma/client';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { requireSession } from '@/lib/session';

const PAGE_SIZE = 24;

const createSchema = z.object({
  name: z.string().min(1).max(80),
  flour: z.enum(['rye', 'wheat', 'spelt', 'einkorn', 'mixed']),
  hydrationPct: z.number().int().min(50).max(200),
  originYear: z.number().int().min(1850).max(new Date().getFullYear()).optional(),
  story: z.string().max(2000).optional(),
});

export async function GET(req: NextRequest) {
  const session = await requireSession(req);
  const { searchParams } = req.nextUrl;
  const cursor = searchParams.get('cursor');
  const flour = searchParams.get('flour');

  const starters = await prisma.starter.findMany({
    where: {
      circleId: session.circleId,
      available: true,
      ...(flour ? { flour: flour as Prisma.EnumFlourFilter['equals'] } : {}),
    },
    select: {
      id: true,
      name: true,
      flour: true,
      hydrationPct: true,
      originYear: true,
      owner: { select: { id: true, displayName: true, town: true } },
    },
    orderBy: { id: 'desc' },
    take: PAGE_SIZE + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });

  const hasMore = starters.length > PAGE_SIZE;
  const page = hasMore ? starters.slice(0, PAGE_SIZE) : starters;
  return NextResponse.json({
    starters: page,
    nextCursor: hasMore ? page[page.length - 1].id : null,
  });
}

export async function POST(req: NextRequest) {
  const session = await requireSession(req);
  const parsed = createSchema.safeParse(await req.json());
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  }

  try {
    // @@unique([circleId, ownerId, name]) on Starter: re-submitting the form is harmless.
    const starter = await prisma.starter.create({
      data: {
        ...parsed.data,
        circleId: session.circleId,
        ownerId: session.userId,
        available: true,
      },
      select: { id: true, name: true },
    });
    return NextResponse.json(starter, { status: 201 });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      return NextResponse.json(
        { error: 'You already list a starter with that name' },
        { status: 409 },
      );
    }
    throw err;
  }
}
