'use server';
// app/(studio)/book/actions.ts
// Server actions for tattoo session booking. Every table is scoped by studioId.

import { revalidatePath } from 'next/cache';
import { Prisma } from '@prisma/client';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { requireClient } from '@/lib/session';

const bookSchema = z.object({
  artistId: z.string().uuid(),
  slotStart: z.coerce.date(),
  placement: z.string().max(80),
  sizeCm: z.coerce.number().int().min(2).max(60),
});

type ActionResult = { ok: true; bookingId: string } | { ok: false; error: string };

export async function bookSession(formData: FormData): Promise<ActionResult> {
  const { clientId, studioId } = await requireClient();
  const input = bookSchema.parse(Object.fromEntries(formData));

  try {
    const booking = await prisma.$transaction(async (tx) => {
      // A deposit credit is consumed atomically; count === 0 means none left.
      const { count } = await tx.clientAccount.updateMany({
        where: { clientId, studioId, depositCredits: { gte: 1 } },
        data: { depositCredits: { decrement: 1 } },
      });
      if (count === 0) throw new NoDepositError();

      // @@unique([artistId, slotStart]) on Booking guarantees one client per slot.
      return tx.booking.create({
        data: {
          studioId,
          clientId,
          artistId: input.artistId,
          slotStart: input.slotStart,
          placement: input.placement,
          sizeCm: input.sizeCm,
          status: 'confirmed',
        },
        select: { id: true },
      });
    });

    revalidatePath(`/artists/${input.artistId}`);
    return { ok: true, bookingId: booking.id };
  } catch (err) {
    if (err instanceof NoDepositError) {
      return { ok: false, error: 'Please buy a deposit credit first.' };
    }
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      return { ok: false, error: 'Sorry, that slot was just taken.' };
    }
    throw err;
  }
}

export async function cancelBooking(bookingId: string): Promise<ActionResult> {
  const { clientId, studioId } = await requireClient();
  const cutoff = new Date(Date.now() + 48 * 3600 * 1000);

  const result = await prisma.$transaction(async (tx) => {
    const { count } = await tx.booking.updateMany({
      where: { id: bookingId, clientId, studioId, status: 'confirmed', slotStart: { gt: cutoff } },
      data: { status: 'cancelled' },
    });
    if (count === 1) {
      await tx.clientAccount.update({
        where: { clientId_studioId: { clientId, studioId } },
        data: { depositCredits: { increment: 1 } },
      });
    }
    return count;
  });

  if (result === 0) {
    return { ok: false, error: 'Bookings can only be cancelled 48h in advance.' };
  }
  revalidatePath('/me/bookings');
  return { ok: true, bookingId };
}

class NoDepositError extends Error {}
