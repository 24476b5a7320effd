// app/api/matches/[matchId]/entries/route.ts
// Competitor entries for the county ploughing match (horse, vintage tractor,
// reversible and conventional classes). The entry form is often submitted twice
// from farmhouse broadband, so the client sends an Idempotency-Key header.
//
// Relevant constraints (migration 0007_entries.sql):
//   UNIQUE (match_id, idempotency_key) ON match_entries
//   UNIQUE (match_id, class_id, competitor_id) ON match_entries
//   CHECK (entries_taken <= plot_count) ON match_classes
import { NextRequest, NextResponse } from 'next/server';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { requireCompetitor } from '@/lib/auth';
import { logger } from '@/lib/logger';

const EntryBody = z.object({
  classId: z.string().uuid(),
  tractorOrTeam: z.string().min(2).max(120),
  ploughMake: z.string().max(80).optional(),
});

type EntryRow = { id: string; plot_number: number | null };

export async function POST(req: NextRequest, { params }: { params: { matchId: string } }) {
  const competitor = await requireCompetitor(req);
  const idempotencyKey = req.headers.get('idempotency-key');
  if (!idempotencyKey || idempotencyKey.length > 64) {
    return NextResponse.json({ error: 'Idempotency-Key header required' }, { status: 400 });
  }

  const parsed = EntryBody.safeParse(await req.json());
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  }
  const { classId, tractorOrTeam, ploughMake } = parsed.data;

  try {
    const result = await prisma.$transaction(async (tx) => {
      const inserted = await tx.$queryRaw<EntryRow[]>`
        INSERT INTO match_entries (match_id, class_id, competitor_id, idempotency_key, tractor_or_team, plough_make)
        VALUES (${params.matchId}::uuid, ${classId}::uuid, ${competitor.id}::uuid, ${idempotencyKey},
                ${tractorOrTeam}, ${ploughMake ?? null})
        ON CONFLICT (match_id, idempotency_key) DO NOTHING
        RETURNING id, plot_number`;

      if (inserted.length === 0) {
        // Replay of a request we already handled: return the original entry.
        const existing = await tx.$queryRaw<EntryRow[]>`
          SELECT id, plot_number FROM match_entries
           WHERE match_id = ${params.matchId}::uuid AND idempotency_key = ${idempotencyKey}
             AND competitor_id = ${competitor.id}::uuid`;
        return { entry: existing[0], replay: true };
      }

      const claimed = await tx.$executeRaw`
        UPDATE match_classes
           SET entries_taken = entries_taken + 1
         WHERE id = ${classId}::uuid AND match_id = ${params.matchId}::uuid
           AND entries_taken < plot_count`;
      if (claimed !== 1) {
        throw new ClassFullError();
      }
      return { entry: inserted[0], replay: false };
    });

    return NextResponse.json(result, { status: result.replay ? 200 : 201 });
  } catch (err) {
    if (err instanceof ClassFullError) {
      return NextResponse.json({ error: 'That class is full' }, { status: 409 });
    }
    if (isUniqueViolation(err)) {
      return NextResponse.json({ error: 'You are already entered in this class' }, { status: 409 });
    }
    logger.error({ err, matchId: params.matchId }, 'ploughing entry failed');
    throw err;
  }
}

export async function GET(req: NextRequest, { params }: { params: { matchId: string } }) {
  const competitor = await requireCompetitor(req);
  const entries = await prisma.matchEntry.findMany({
    where: { matchId: params.matchId, competitorId: competitor.id },
    select: { id: true, plotNumber: true, class: { select: { name: true } }, createdAt: true },
    orderBy: { createdAt: 'desc' },
    take: 20,
  });
  return NextResponse.json({ entries });
}

class ClassFullError extends Error {}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code: string }).code === 'P2010'
    && String((err as { meta?: { code?: string } }).meta?.code) === '23505';
}
