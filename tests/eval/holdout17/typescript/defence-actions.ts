// app/defences/actions.ts
'use server';

import { revalidatePath } from 'next/cache';
import { Prisma } from '@prisma/client';
import { prisma } from '@/lib/prisma';
import { auth } from '@/auth';

const MAX_EXAMINERS = 4;

type Result = { ok: true } | { ok: false; error: string };

/** A PhD candidate claims an open defence slot (room + time) in their department. */
export async function claimDefenceSlot(slotId: string): Promise<Result> {
  const session = await auth();
  if (!session?.user) return { ok: false, error: 'Please sign in.' };

  const slot = await prisma.defenceSlot.findFirst({
    where: { id: slotId, departmentId: session.user.departmentId },
    select: { status: true, startsAt: true },
  });
  if (!slot) return { ok: false, error: 'Slot not found.' };
  if (slot.startsAt < new Date(Date.now() + 14 * 24 * 3600 * 1000)) {
    return { ok: false, error: 'Defences must be booked at least two weeks ahead.' };
  }

  // The write itself is conditional, so two candidates clicking at once cannot both win.
  const { count } = await prisma.defenceSlot.updateMany({
    where: { id: slotId, departmentId: session.user.departmentId, status: 'OPEN' },
    data: { status: 'RESERVED', candidateId: session.user.id, reservedAt: new Date() },
  });
  if (count === 0) return { ok: false, error: 'Sorry, that slot was just taken.' };

  revalidatePath('/defences');
  return { ok: true };
}

/** Supervisor adds an examiner to the committee (max 4, no duplicates). */
export async function addExaminer(slotId: string, examinerId: string): Promise<Result> {
  const session = await auth();
  if (!session?.user || session.user.role !== 'SUPERVISOR') return { ok: false, error: 'Forbidden.' };

  try {
    await prisma.$transaction(async (tx) => {
      // Row lock on the slot serializes concurrent committee edits for this defence.
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM defence_slots
        WHERE id = ${slotId} AND department_id = ${session.user.departmentId}
        FOR UPDATE`;
      if (locked.length === 0) throw new Error('NOT_FOUND');

      const seats = await tx.committeeSeat.count({ where: { slotId } });
      if (seats >= MAX_EXAMINERS) throw new Error('FULL');

      await tx.committeeSeat.create({ data: { slotId, examinerId } }); // @@unique([slotId, examinerId])
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
      return { ok: false, error: 'That examiner is already on the committee.' };
    }
    if (e instanceof Error && e.message === 'FULL') return { ok: false, error: 'Committee is full.' };
    if (e instanceof Error && e.message === 'NOT_FOUND') return { ok: false, error: 'Slot not found.' };
    throw e;
  }

  revalidatePath(`/defences/${slotId}`);
  return { ok: true };
}
