// app/api/dig-days/route.ts
// Rural broadband volunteer dig days: landowners and villagers sign up to
// help trench fibre along field margins. Self-hosted Next.js (output:
// 'standalone'), 4 pods behind the council's load balancer.
import { NextRequest, NextResponse } from 'next/server';
import { Prisma } from '@prisma/client';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';

const WINDOW_MS = 10 * 60 * 1000;
const MAX_SIGNUPS_PER_WINDOW = 5;

const signupAttempts = new Map<string, { count: number; windowStart: number }>();

function clientAddress(req: NextRequest): string {
  const forwarded = req.headers.get('x-forwarded-for');
  return forwarded ? forwarded.split(',')[0].trim() : 'unknown';
}

function allowSignup(ip: string): boolean {
  const now = Date.now();
  if (signupAttempts.size > 10_000) {
    for (const [key, v] of signupAttempts) {
      if (now - v.windowStart > WINDOW_MS) signupAttempts.delete(key);
    }
  }
  const entry = signupAttempts.get(ip);
  if (!entry || now - entry.windowStart > WINDOW_MS) {
    signupAttempts.set(ip, { count: 1, windowStart: now });
    return true;
  }
  entry.count += 1;
  return entry.count <= MAX_SIGNUPS_PER_WINDOW;
}

const SignupSchema = z.object({
  digDayId: z.number().int().positive(),
  name: z.string().min(1).max(120),
  email: z.string().email(),
  bringsOwnSpade: z.boolean().default(false),
  notes: z.string().max(500).optional(),
});

export async function GET(req: NextRequest) {
  const parish = req.nextUrl.searchParams.get('parish') ?? undefined;
  const days = await prisma.digDay.findMany({
    where: { date: { gte: new Date() }, ...(parish ? { parish } : {}) },
    orderBy: { date: 'asc' },
    take: 30,
    select: { id: true, date: true, parish: true, meetingPoint: true, spacesLeft: true },
  });
  return NextResponse.json(days);
}

export async function POST(req: NextRequest) {
  if (!allowSignup(clientAddress(req))) {
    return NextResponse.json({ error: 'Too many sign-ups from this address' }, { status: 429 });
  }

  const parsed = SignupSchema.safeParse(await req.json());
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  }
  const { digDayId, name, email, bringsOwnSpade, notes } = parsed.data;

  try {
    const volunteer = await prisma.$transaction(async (tx) => {
      const { count } = await tx.digDay.updateMany({
        where: { id: digDayId, spacesLeft: { gt: 0 } },
        data: { spacesLeft: { decrement: 1 } },
      });
      if (count === 0) return null;
      // (digDayId, email) is unique in the schema.
      return tx.digVolunteer.create({
        data: { digDayId, name, email: email.toLowerCase(), bringsOwnSpade, notes },
        select: { id: true },
      });
    });
    if (!volunteer) {
      return NextResponse.json({ error: 'That dig day is full' }, { status: 409 });
    }
    return NextResponse.json(volunteer, { status: 201 });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      return NextResponse.json({ error: 'You are already signed up for that day' }, { status: 409 });
    }
    throw err;
  }
}
