'use server';

/**
 * Server actions for the kindergarten waitlist.
 *
 * This is the revised version after the double-enrollment bug you described. Changes:
 *  - Seat decrement is a conditional `updateMany` (`seatsLeft > 0`) inside a transaction,
 *    and we check `count` so we never go negative or hand out the same seat twice.
 *  - A unique index on (childId, schoolYear) in schema.prisma makes a second
 *    application fail with P2002, which we turn into a friendly message.
 *  - The Prisma client comes from the shared singleton in `@/lib/prisma`.
 */

import { Prisma } from '@prisma/client';
import { revalidatePath } from 'next/cache';
import { prisma } from '@/lib/prisma';
import { requireGuardian } from '@/lib/session';

export async function applyForWaitlist(formData: FormData) {
  const guardian = await requireGuardian();
  const childId = String(formData.get('childId'));
  const schoolYear = Number(formData.get('schoolYear'));

  try {
    await prisma.waitlistEntry.create({
      data: { childId, schoolYear, guardianId: guardian.id, districtId: guardian.districtId },
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
      return { ok: false, message: 'This child is already on the waitlist for that year.' };
    }
    throw e;
  }
  revalidatePath('/waitlist');
  return { ok: true };
}

export async function acceptOffer(entryId: string) {
  const guardian = await requireGuardian();

  const result = await prisma.$transaction(async (tx) => {
    const entry = await tx.waitlistEntry.findFirst({
      where: { id: entryId, guardianId: guardian.id, districtId: guardian.districtId, status: 'offered' },
      select: { id: true, childId: true, classroomId: true, schoolYear: true },
    });
    if (!entry || !entry.classroomId) return { ok: false as const, message: 'Offer not found or no longer valid.' };

    // claim the offer itself first; a double-submit finds status already changed
    const claimed = await tx.waitlistEntry.updateMany({
      where: { id: entry.id, status: 'offered' },
      data: { status: 'enrolled' },
    });
    if (claimed.count === 0) return { ok: false as const, message: 'This offer was already accepted.' };

    const seat = await tx.classroom.updateMany({
      where: { id: entry.classroomId, districtId: guardian.districtId, seatsLeft: { gt: 0 } },
      data: { seatsLeft: { decrement: 1 } },
    });
    if (seat.count === 0) {
      await tx.waitlistEntry.update({ where: { id: entry.id }, data: { status: 'waiting', classroomId: null } });
      return { ok: false as const, message: 'Sorry, that classroom just filled up. You keep your place in line.' };
    }

    await tx.enrollment.create({
      data: { childId: entry.childId, classroomId: entry.classroomId, schoolYear: entry.schoolYear, districtId: guardian.districtId },
    });
    return { ok: true as const };
  });

  revalidatePath('/waitlist');
  return result;
}
