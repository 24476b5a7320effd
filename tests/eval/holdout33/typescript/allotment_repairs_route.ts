// app/api/repairs/[id]/route.ts  (and the collection handler below it)
// Shed repair requests for allotment associations. Each association (tenant)
// has its own plots, sheds and committee; plot holders report broken doors,
// leaking roofs and rotten floors, the committee assigns a handyman.
import { NextRequest, NextResponse } from 'next/server';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { getSession } from '@/lib/auth';

const PatchBody = z.object({
  status: z.enum(['open', 'assigned', 'done', 'wont_fix']),
  handymanId: z.string().cuid().optional(),
  committeeNote: z.string().max(2000).optional(),
});

// GET /api/repairs?status=open&cursor=...
export async function GET(req: NextRequest) {
  const session = await getSession();
  if (!session) return NextResponse.json({ error: 'unauthorised' }, { status: 401 });

  const status = req.nextUrl.searchParams.get('status') ?? 'open';
  const cursor = req.nextUrl.searchParams.get('cursor');

  const requests = await prisma.shedRepairRequest.findMany({
    where: { associationId: session.associationId, status },
    include: { plot: { select: { number: true, section: true } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 30,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });

  return NextResponse.json({
    requests,
    nextCursor: requests.length === 30 ? requests[requests.length - 1].id : null,
  });
}

// PATCH /api/repairs/:id — committee members update status and assign a handyman
export async function PATCH(req: NextRequest, { params }: { params: { id: string } }) {
  const session = await getSession();
  if (!session || session.role !== 'committee') {
    return NextResponse.json({ error: 'forbidden' }, { status: 403 });
  }

  const parsed = PatchBody.safeParse(await req.json());
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  }
  const { status, handymanId, committeeNote } = parsed.data;

  const updated = await prisma.shedRepairRequest.update({
    where: { id: params.id },
    data: {
      status,
      committeeNote,
      handymanId: handymanId ?? undefined,
      assignedAt: status === 'assigned' ? new Date() : undefined,
      completedAt: status === 'done' ? new Date() : undefined,
    },
    include: { plot: true, handyman: true },
  });

  if (status === 'assigned' && updated.handyman) {
    // Push the job into the handyman's calendar (JobBoard API).
    const res = await fetch(`${process.env.JOBBOARD_URL}/v2/jobs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${process.env.JOBBOARD_TOKEN}`,
      },
      body: JSON.stringify({
        externalRef: updated.id,
        assignee: updated.handyman.jobBoardId,
        title: `Shed repair, plot ${updated.plot.section}${updated.plot.number}`,
        description: updated.description,
      }),
    });
    if (!res.ok) {
      return NextResponse.json(
        { request: updated, warning: `calendar sync failed (${res.status})` },
        { status: 207 },
      );
    }
  }

  return NextResponse.json({ request: updated });
}
