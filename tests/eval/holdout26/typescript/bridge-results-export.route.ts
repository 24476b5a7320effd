// app/api/clubs/[clubId]/tournaments/[tournamentId]/export/route.ts
// Exports a bridge tournament's full results (travellers for every board,
// personal scorecards, masterpoint awards) as a ZIP of PDFs for the county
// association. Rendering takes minutes for a big congress, so the request only
// queues the work; a BullMQ worker (workers/exportResults.ts) builds the ZIP
// and uploads it to object storage.
import { NextRequest, NextResponse } from 'next/server';
import { Queue } from 'bullmq';
import { prisma } from '@/lib/prisma';
import { getClubSession } from '@/lib/auth';
import { redisConnection } from '@/lib/redis'; // shared ioredis options

const globalForQueue = globalThis as unknown as { exportQueue?: Queue };
const exportQueue =
  globalForQueue.exportQueue ?? new Queue('results-export', { connection: redisConnection });
globalForQueue.exportQueue = exportQueue;

type Params = { params: Promise<{ clubId: string; tournamentId: string }> };

export async function POST(req: NextRequest, { params }: Params) {
  const { clubId, tournamentId } = await params;
  const session = await getClubSession(req);
  if (!session || session.clubId !== clubId || !session.roles.includes('director')) {
    return NextResponse.json({ error: 'forbidden' }, { status: 403 });
  }

  const tournament = await prisma.tournament.findFirst({
    where: { id: tournamentId, clubId, status: 'final' },
    select: { id: true, name: true },
  });
  if (!tournament) {
    return NextResponse.json({ error: 'tournament not found or not finalised' }, { status: 404 });
  }

  // jobId is deterministic, so a double click re-uses the job already queued.
  const job = await exportQueue.add(
    'export',
    { clubId, tournamentId, requestedBy: session.userId },
    {
      jobId: `export-${clubId}-${tournamentId}`,
      attempts: 3,
      backoff: { type: 'exponential', delay: 10_000 },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  );

  return NextResponse.json(
    { jobId: job.id, statusUrl: `/api/clubs/${clubId}/tournaments/${tournamentId}/export?job=${job.id}` },
    { status: 202, headers: { Location: `/api/clubs/${clubId}/tournaments/${tournamentId}/export?job=${job.id}` } },
  );
}

export async function GET(req: NextRequest, { params }: Params) {
  const { clubId, tournamentId } = await params;
  const session = await getClubSession(req);
  if (!session || session.clubId !== clubId) {
    return NextResponse.json({ error: 'forbidden' }, { status: 403 });
  }

  const jobId = req.nextUrl.searchParams.get('job');
  if (!jobId) return NextResponse.json({ error: 'job is required' }, { status: 400 });

  const job = await exportQueue.getJob(jobId);
  if (!job || job.data.clubId !== clubId || job.data.tournamentId !== tournamentId) {
    return NextResponse.json({ error: 'unknown job' }, { status: 404 });
  }

  const state = await job.getState();
  return NextResponse.json({
    jobId,
    state, // waiting | active | completed | failed | delayed
    progress: job.progress,
    downloadUrl: state === 'completed' ? job.returnvalue?.downloadUrl : undefined,
    error: state === 'failed' ? 'export failed, the club secretary has been notified' : undefined,
  });
}
