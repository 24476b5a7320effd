// app/api/workshop/jobs/route.ts — typewriter repair workshop job queue (Next.js app router + Prisma)
import { NextRequest, NextResponse } from 'next/server';
import { Prisma } from '@prisma/client';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { requireWorkshopSession } from '@/lib/session';

const PAGE_SIZE_MAX = 50;

const createJobSchema = z.object({
  customerName: z.string().min(1).max(120),
  machine: z.string().min(1).max(120), // e.g. "Olympia SM3, 1958"
  fault: z.string().min(1).max(2000),
  estimatePence: z.number().int().nonnegative().optional(),
});

export async function GET(req: NextRequest) {
  const session = await requireWorkshopSession(req);
  const url = new URL(req.url);
  const take = Math.min(Number(url.searchParams.get('take') ?? 20), PAGE_SIZE_MAX);
  const cursor = url.searchParams.get('cursor');
  const status = url.searchParams.get('status') ?? undefined;

  const jobs = await prisma.repairJob.findMany({
    where: { workshopId: session.workshopId, ...(status ? { status } : {}) },
    orderBy: { id: 'desc' },
    take: take + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: { id: true, customerName: true, machine: true, status: true, createdAt: true },
  });

  const hasMore = jobs.length > take;
  const page = hasMore ? jobs.slice(0, take) : jobs;
  return NextResponse.json({ jobs: page, nextCursor: hasMore ? page[page.length - 1].id : null });
}

// The counter tablet retries on flaky wifi, so it sends an Idempotency-Key per intake form.
// (workshopId, idempotencyKey) is a unique index on repair_jobs.
export async function POST(req: NextRequest) {
  const session = await requireWorkshopSession(req);
  const key = req.headers.get('idempotency-key');
  if (!key) {
    return NextResponse.json({ error: 'Idempotency-Key header required' }, { status: 400 });
  }

  const parsed = createJobSchema.safeParse(await req.json());
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 422 });
  }

  try {
    const job = await prisma.repairJob.create({
      data: { ...parsed.data, workshopId: session.workshopId, idempotencyKey: key, status: 'intake' },
    });
    return NextResponse.json(job, { status: 201 });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      const existing = await prisma.repairJob.findUnique({
        where: { workshopId_idempotencyKey: { workshopId: session.workshopId, idempotencyKey: key } },
      });
      return NextResponse.json(existing, { status: 200 });
    }
    throw err;
  }
}
