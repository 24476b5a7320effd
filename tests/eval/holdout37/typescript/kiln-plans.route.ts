// app/api/studios/[studioId]/kiln-plans/route.ts
//
// Pottery kiln firing queues: re-planning the week's firings (packing pots
// by cone/temperature into kiln loads) takes a few minutes for a busy studio,
// so POST only records the request and hands it to the BullMQ worker.
// Clients poll /api/kiln-plans/jobs/:id for the result.

import { NextRequest, NextResponse } from 'next/server';
import { Queue } from 'bullmq';
import { auth } from '@/auth';
import { prisma } from '@/lib/prisma';
import { redisConnection } from '@/lib/redis';

const planQueue = new Queue('kiln-planning', { connection: redisConnection });

export async function POST(req: NextRequest, { params }: { params: Promise<{ studioId: string }> }) {
  const session = await auth();
  const { studioId } = await params;
  if (!session?.user?.studioIds.includes(studioId)) {
    return NextResponse.json({ error: 'forbidden' }, { status: 403 });
  }

  const idempotencyKey = req.headers.get('idempotency-key');
  if (!idempotencyKey || idempotencyKey.length > 100) {
    return NextResponse.json({ error: 'Idempotency-Key header required' }, { status: 400 });
  }

  const { weekStart } = (await req.json()) as { weekStart: string };

  // kiln_plan_jobs has UNIQUE (studio_id, idempotency_key): a retried POST
  // returns the job created by the first one.
  const job = await prisma.kilnPlanJob.upsert({
    where: { studioId_idempotencyKey: { studioId, idempotencyKey } },
    create: {
      studioId,
      idempotencyKey,
      weekStart: new Date(weekStart),
      requestedById: session.user.id,
      status: 'queued',
    },
    update: {},
    select: { id: true, status: true, createdAt: true },
  });

  if (job.status === 'queued') {
    // BullMQ ignores a second add with the same jobId.
    await planQueue.add('plan-week', { planJobId: job.id }, { jobId: job.id, removeOnComplete: 1000 });
  }

  return NextResponse.json(
    { jobId: job.id, status: job.status },
    { status: 202, headers: { Location: `/api/kiln-plans/jobs/${job.id}` } },
  );
}

// Recent planning jobs for this studio, newest first, 20 per page.
export async function GET(req: NextRequest, { params }: { params: Promise<{ studioId: string }> }) {
  const session = await auth();
  const { studioId } = await params;
  if (!session?.user?.studioIds.includes(studioId)) {
    return NextResponse.json({ error: 'forbidden' }, { status: 403 });
  }

  const cursor = req.nextUrl.searchParams.get('cursor');
  const jobs = await prisma.kilnPlanJob.findMany({
    where: { studioId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 21,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: { id: true, status: true, weekStart: true, createdAt: true, finishedAt: true },
  });

  const hasMore = jobs.length > 20;
  const page = hasMore ? jobs.slice(0, 20) : jobs;
  return NextResponse.json({ jobs: page, nextCursor: hasMore ? page[page.length - 1].id : null });
}
