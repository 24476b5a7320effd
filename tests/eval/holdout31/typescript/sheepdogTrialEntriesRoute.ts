// app/api/trials/[trialId]/entries/route.ts
// Entries for sheepdog trials. Each trial has a fixed number of runs on the
// day (the judge can only watch so many outruns), and a handler may enter
// each dog once per trial. Trials belong to a society (multi-society app).
import { NextRequest, NextResponse } from 'next/server';
import { Prisma } from '@prisma/client';
import { getServerSession } from 'next-auth';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { authOptions } from '@/lib/auth';
import { logger } from '@/lib/logger';

const EntrySchema = z.object({
  dogId: z.number().int().positive(),
  class: z.enum(['nursery', 'novice', 'open']),
});

class TrialFullError extends Error {}

export async function POST(req: NextRequest, { params }: { params: { trialId: string } }) {
  const session = await getServerSession(authOptions);
  if (!session?.user) return NextResponse.json({ error: 'Sign in to enter' }, { status: 401 });

  const parsed = EntrySchema.safeParse(await req.json());
  if (!parsed.success) return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });

  const trialId = Number(params.trialId);
  const { societyId, handlerId } = session.user;

  try {
    const entry = await prisma.$transaction(async (tx) => {
      // Decrement only while runs remain; count === 0 means the trial is full.
      const claimed = await tx.trial.updateMany({
        where: { id: trialId, societyId, runsRemaining: { gt: 0 } },
        data: { runsRemaining: { decrement: 1 } },
      });
      if (claimed.count === 0) throw new TrialFullError();

      // @@unique([trialId, dogId]) in the schema stops a dog being entered twice.
      return tx.trialEntry.create({
        data: { trialId, societyId, handlerId, dogId: parsed.data.dogId, class: parsed.data.class },
        select: { id: true, class: true, createdAt: true },
      });
    });
    return NextResponse.json(entry, { status: 201 });
  } catch (err) {
    if (err instanceof TrialFullError) {
      return NextResponse.json({ error: 'No runs left on this trial' }, { status: 409 });
    }
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      return NextResponse.json({ error: 'That dog is already entered' }, { status: 409 });
    }
    logger.error({ err, trialId }, 'sheepdog trial entry failed');
    throw err;
  }
}

// Running order for the trial, paged with a cursor on entry id.
export async function GET(req: NextRequest, { params }: { params: { trialId: string } }) {
  const session = await getServerSession(authOptions);
  if (!session?.user) return NextResponse.json({ error: 'Sign in first' }, { status: 401 });

  const cursor = req.nextUrl.searchParams.get('cursor');
  const pageSize = 50;

  const entries = await prisma.trialEntry.findMany({
    where: { trialId: Number(params.trialId), societyId: session.user.societyId },
    orderBy: { id: 'asc' },
    take: pageSize,
    ...(cursor ? { cursor: { id: Number(cursor) }, skip: 1 } : {}),
    select: {
      id: true,
      class: true,
      dog: { select: { name: true, registeredNo: true } },
      handler: { select: { displayName: true } },
    },
  });

  return NextResponse.json({
    entries,
    nextCursor: entries.length === pageSize ? entries[entries.length - 1].id : null,
  });
}
