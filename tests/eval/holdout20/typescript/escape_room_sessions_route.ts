// app/api/venues/[venueId]/sessions/[sessionId]/bookings/route.ts
// Book a team into an escape-room session. Called from the public booking widget;
// the widget sends an Idempotency-Key so a retried POST returns the same booking.
import { NextRequest, NextResponse } from 'next/server';
import { Prisma } from '@prisma/client';
import { z } from 'zod';
import { prisma } from '@/lib/prisma'; // singleton client, reused across invocations
import { getVenueForRequest } from '@/lib/venue';

const BookingInput = z.object({
  teamName: z.string().min(1).max(60),
  players: z.number().int().min(2).max(8),
  contactEmail: z.string().email(),
});

type Params = { params: { venueId: string; sessionId: string } };

export async function POST(req: NextRequest, { params }: Params) {
  const venue = await getVenueForRequest(req, params.venueId);
  if (!venue) return NextResponse.json({ error: 'unknown venue' }, { status: 404 });

  const idempotencyKey = req.headers.get('idempotency-key');
  if (!idempotencyKey || idempotencyKey.length > 100) {
    return NextResponse.json({ error: 'Idempotency-Key header is required' }, { status: 400 });
  }

  const parsed = BookingInput.safeParse(await req.json());
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 422 });
  }
  const { teamName, players, contactEmail } = parsed.data;

  try {
    const booking = await prisma.$transaction(async (tx) => {
      // Take the spots only if they are still there; zero rows means someone else got them.
      const taken = await tx.roomSession.updateMany({
        where: {
          id: params.sessionId,
          venueId: venue.id,
          startsAt: { gt: new Date() },
          spotsLeft: { gte: players },
        },
        data: { spotsLeft: { decrement: players } },
      });
      if (taken.count === 0) return null;

      return tx.sessionBooking.create({
        data: {
          venueId: venue.id,
          sessionId: params.sessionId,
          idempotencyKey, // @@unique([venueId, idempotencyKey])
          teamName,
          players,
          contactEmail,
        },
        select: { id: true, players: true, createdAt: true },
      });
    });

    if (!booking) {
      return NextResponse.json({ error: 'session is full or has already started' }, { status: 409 });
    }
    return NextResponse.json(booking, { status: 201 });
  } catch (err) {
    // Same key seen before: the whole transaction rolled back (spots included),
    // so answer with the booking created by the first request.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      const existing = await prisma.sessionBooking.findUnique({
        where: { venueId_idempotencyKey: { venueId: venue.id, idempotencyKey } },
        select: { id: true, players: true, createdAt: true },
      });
      if (existing) return NextResponse.json(existing, { status: 200 });
    }
    console.error('escape-room booking failed', { venueId: venue.id, sessionId: params.sessionId, err });
    throw err;
  }
}
