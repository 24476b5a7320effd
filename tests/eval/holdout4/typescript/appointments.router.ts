import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { and, asc, eq, gt, ne } from 'drizzle-orm';
import { router, clinicProcedure } from '../trpc';
import { db } from '../db/client';
import { appointments, providers } from '../db/schema';

// Every clinic is a tenant; ctx.clinicId comes from the staff member's session.
// uq_provider_slot (provider_id, starts_at) WHERE status <> 'cancelled' prevents double booking.

const PG_UNIQUE_VIOLATION = '23505';

export const appointmentsRouter = router({
  list: clinicProcedure
    .input(
      z.object({
        providerId: z.string().uuid(),
        cursor: z.string().datetime().optional(),
        limit: z.number().int().min(1).max(100).default(50),
      }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await db
        .select()
        .from(appointments)
        .where(
          and(
            eq(appointments.clinicId, ctx.clinicId),
            eq(appointments.providerId, input.providerId),
            ne(appointments.status, 'cancelled'),
            input.cursor ? gt(appointments.startsAt, new Date(input.cursor)) : undefined,
          ),
        )
        .orderBy(asc(appointments.startsAt))
        .limit(input.limit + 1);

      const hasMore = rows.length > input.limit;
      const items = hasMore ? rows.slice(0, -1) : rows;
      return { items, nextCursor: hasMore ? items[items.length - 1].startsAt.toISOString() : null };
    }),

  book: clinicProcedure
    .input(
      z.object({
        providerId: z.string().uuid(),
        patientId: z.string().uuid(),
        startsAt: z.coerce.date(),
        durationMin: z.number().int().min(10).max(120),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const [provider] = await db
        .select({ id: providers.id })
        .from(providers)
        .where(and(eq(providers.id, input.providerId), eq(providers.clinicId, ctx.clinicId)));
      if (!provider) throw new TRPCError({ code: 'NOT_FOUND', message: 'Unknown provider' });

      try {
        const [appt] = await db
          .insert(appointments)
          .values({ ...input, clinicId: ctx.clinicId, status: 'booked', createdBy: ctx.user.id })
          .returning();
        return appt;
      } catch (err: any) {
        if (err?.code === PG_UNIQUE_VIOLATION) {
          throw new TRPCError({ code: 'CONFLICT', message: 'That slot was just taken' });
        }
        throw err;
      }
    }),

  reschedule: clinicProcedure
    .input(z.object({ id: z.string().uuid(), startsAt: z.coerce.date() }))
    .mutation(async ({ ctx, input }) => {
      const [appt] = await db
        .update(appointments)
        .set({ startsAt: input.startsAt, updatedAt: new Date() })
        .where(and(eq(appointments.id, input.id), eq(appointments.clinicId, ctx.clinicId)))
        .returning();
      if (!appt) throw new TRPCError({ code: 'NOT_FOUND' });
      return appt;
    }),

  cancel: clinicProcedure
    .input(z.object({ id: z.string().uuid(), reason: z.string().max(500).optional() }))
    .mutation(async ({ ctx, input }) => {
      const [appt] = await db
        .update(appointments)
        .set({ status: 'cancelled', cancelReason: input.reason, cancelledBy: ctx.user.id, updatedAt: new Date() })
        .where(eq(appointments.id, input.id))
        .returning();
      if (!appt) throw new TRPCError({ code: 'NOT_FOUND' });
      return appt;
    }),
});
