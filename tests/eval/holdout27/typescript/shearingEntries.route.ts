// app/api/classes/[classId]/entries/route.ts
// Entries for the county show's sheep-shearing competition (Open, Intermediate,
// Junior, Blades). Each class has a fixed number of stands, so entries are capped.

import { NextRequest, NextResponse } from 'next/server';
import { getServerSession } from 'next-auth';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { authOptions } from '@/lib/auth';

const EntrySchema = z.object({
  shearerId: z.string().uuid(),
  sponsor: z.string().max(80).optional(),
  handpieceBrand: z.string().max(40).optional(),
});

type Params = { params: { classId: string } };

async function notifyScoreboard(entry: { id: string; classId: string; shearerName: string }) {
  await fetch(`${process.env.SCOREBOARD_URL}/api/heats/entrants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-show-key': process.env.SCOREBOARD_KEY ?? '' },
    body: JSON.stringify(entry),
    signal: AbortSignal.timeout(3000),
  });
}

export async function GET(_req: NextRequest, { params }: Params) {
  const entries = await prisma.shearingEntry.findMany({
    where: { classId: params.classId, withdrawn: false },
    orderBy: { enteredAt: 'asc' },
    take: 200,
    select: { id: true, enteredAt: true, shearer: { select: { name: true, club: true } } },
  });
  return NextResponse.json(entries);
}

export async function POST(req: NextRequest, { params }: Params) {
  const session = await getServerSession(authOptions);
  if (!session?.user) return NextResponse.json({ error: 'Sign in to enter' }, { status: 401 });

  const parsed = EntrySchema.safeParse(await req.json());
  if (!parsed.success) return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });

  const shearingClass = await prisma.shearingClass.findUnique({
    where: { id: params.classId },
    select: { id: true, name: true, maxEntries: true, closesAt: true },
  });
  if (!shearingClass) return NextResponse.json({ error: 'Unknown class' }, { status: 404 });
  if (shearingClass.closesAt < new Date()) {
    return NextResponse.json({ error: 'Entries for this class have closed' }, { status: 410 });
  }

  const taken = await prisma.shearingEntry.count({ where: { classId: shearingClass.id, withdrawn: false } });
  if (taken >= shearingClass.maxEntries) {
    return NextResponse.json({ error: `${shearingClass.name} is full` }, { status: 409 });
  }

  const entry = await prisma.shearingEntry.create({
    data: {
      classId: shearingClass.id,
      shearerId: parsed.data.shearerId,
      enteredById: session.user.id,
      sponsor: parsed.data.sponsor,
      handpieceBrand: parsed.data.handpieceBrand,
    },
    include: { shearer: { select: { name: true } } },
  });

  try {
    await notifyScoreboard({ id: entry.id, classId: entry.classId, shearerName: entry.shearer.name });
  } catch {
    // scoreboard pulls the full entrant list again before the first heat
  }

  return NextResponse.json({ id: entry.id, standsLeft: shearingClass.maxEntries - taken - 1 }, { status: 201 });
}
