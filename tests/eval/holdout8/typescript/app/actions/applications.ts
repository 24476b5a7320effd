'use server';

// app/(board)/jobs/actions.ts — job board server actions
import { revalidatePath } from 'next/cache';
import { Prisma } from '@prisma/client';
import { prisma } from '@/lib/prisma';
import { auth } from '@/auth';
import { applicationQueue } from '@/lib/queues'; // BullMQ queue (Redis), shared

export type ActionResult = { ok: true } | { ok: false; error: string };

export async function applyToJob(jobId: string, formData: FormData): Promise<ActionResult> {
  const session = await auth();
  if (!session?.user) return { ok: false, error: 'Please sign in' };

  const coverLetter = String(formData.get('coverLetter') ?? '').slice(0, 5000);
  const resumeId = String(formData.get('resumeId') ?? '');

  try {
    await prisma.$transaction(async (tx) => {
      // Only succeeds while the posting is open and under its applicant cap
      const { count } = await tx.jobPosting.updateMany({
        where: { id: jobId, status: 'OPEN', applicantCount: { lt: prisma.jobPosting.fields.maxApplicants } },
        data: { applicantCount: { increment: 1 } },
      });
      if (count === 0) throw new Error('JOB_CLOSED');

      // @@unique([jobId, candidateId]) on Application
      await tx.application.create({
        data: { jobId, candidateId: session.user.id, resumeId, coverLetter },
      });
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      return { ok: false, error: 'You already applied to this job' };
    }
    if (err instanceof Error && err.message === 'JOB_CLOSED') {
      return { ok: false, error: 'This job is no longer accepting applications' };
    }
    console.error('applyToJob failed', { jobId, err });
    throw err;
  }

  // resume parsing + employer notification happen in the worker
  await applicationQueue.add('new-application', { jobId, candidateId: session.user.id }, { jobId: `${jobId}:${session.user.id}` });

  revalidatePath(`/jobs/${jobId}`);
  return { ok: true };
}

export async function withdrawApplication(applicationId: string): Promise<ActionResult> {
  const session = await auth();
  if (!session?.user) return { ok: false, error: 'Please sign in' };

  const withdrawn = await prisma.$transaction(async (tx) => {
    const app = await tx.application.findFirst({
      where: { id: applicationId, candidateId: session.user.id },
      select: { jobId: true },
    });
    if (!app) return null;
    const { count } = await tx.application.deleteMany({
      where: { id: applicationId, candidateId: session.user.id },
    });
    if (count === 0) return null; // withdrawn concurrently in another tab
    await tx.jobPosting.update({ where: { id: app.jobId }, data: { applicantCount: { decrement: 1 } } });
    return app.jobId;
  });
  if (!withdrawn) return { ok: false, error: 'Not found' };

  revalidatePath(`/jobs/${withdrawn}`);
  return { ok: true };
}

export async function loadMoreJobs(cursor: string | null, q: string) {
  return prisma.jobPosting.findMany({
    where: { status: 'OPEN', title: { contains: q, mode: 'insensitive' } },
    orderBy: [{ postedAt: 'desc' }, { id: 'desc' }],
    take: 25,
    ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    select: { id: true, title: true, company: { select: { name: true, logoUrl: true } }, location: true, postedAt: true },
  });
}
