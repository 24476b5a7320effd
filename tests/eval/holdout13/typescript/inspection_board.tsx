// app/(carrier)/inspections/board/page.tsx
// Inspection scheduling board for home-insurance carriers.
//  - every query is scoped to the signed-in staff member's carrier (orgId)
//  - scheduling uses an optimistic `version` column, so two schedulers dragging
//    the same inspection can't silently overwrite each other
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { requireStaff } from '@/lib/session';
import { logger } from '@/lib/logger';
import { InspectorSelect } from './InspectorSelect';

const PAGE_SIZE = 25;

const ScheduleInput = z.object({
  inspectionId: z.string().uuid(),
  inspectorId: z.string().uuid(),
  scheduledFor: z.coerce.date(),
  version: z.coerce.number().int(),
});

async function scheduleInspection(formData: FormData) {
  'use server';
  const staff = await requireStaff();
  const input = ScheduleInput.parse(Object.fromEntries(formData));

  const inspector = await prisma.inspector.findFirst({
    where: { id: input.inspectorId, orgId: staff.orgId, active: true },
    select: { id: true },
  });
  if (!inspector) throw new Error('Unknown inspector');

  const { count } = await prisma.inspection.updateMany({
    where: { id: input.inspectionId, orgId: staff.orgId, status: 'REQUESTED', version: input.version },
    data: {
      status: 'SCHEDULED',
      inspectorId: inspector.id,
      scheduledFor: input.scheduledFor,
      version: { increment: 1 },
    },
  });
  if (count === 0) {
    logger.info({ inspectionId: input.inspectionId }, 'schedule conflict (stale version)');
  }
  revalidatePath('/inspections/board');
}

async function cancelInspection(formData: FormData) {
  'use server';
  const staff = await requireStaff();
  const id = z.string().uuid().parse(formData.get('inspectionId'));
  const version = z.coerce.number().int().parse(formData.get('version'));
  await prisma.inspection.updateMany({
    where: { id, orgId: staff.orgId, version, status: { in: ['REQUESTED', 'SCHEDULED'] } },
    data: { status: 'CANCELLED', version: { increment: 1 } },
  });
  revalidatePath('/inspections/board');
}

export default async function BoardPage({ searchParams }: { searchParams: { cursor?: string } }) {
  const staff = await requireStaff();
  const [rows, inspectors] = await Promise.all([
    prisma.inspection.findMany({
      where: { orgId: staff.orgId, status: { in: ['REQUESTED', 'SCHEDULED'] } },
      include: { property: { select: { street: true, city: true, zip: true } }, inspector: { select: { name: true } } },
      orderBy: { id: 'asc' },
      take: PAGE_SIZE,
      ...(searchParams.cursor ? { skip: 1, cursor: { id: searchParams.cursor } } : {}),
    }),
    prisma.inspector.findMany({
      where: { orgId: staff.orgId, active: true },
      select: { id: true, name: true },
      orderBy: { name: 'asc' },
      take: 200,
    }),
  ]);
  const nextCursor = rows.length === PAGE_SIZE ? rows[rows.length - 1].id : null;

  return (
    <section className="space-y-3">
      <h1 className="text-xl font-semibold">Open inspections</h1>
      {rows.map((i) => (
        <article key={i.id} className="rounded border p-3">
          <p className="font-medium">{i.property.street}, {i.property.city} {i.property.zip}</p>
          <p className="text-sm text-gray-600">{i.status} {i.inspector ? `· ${i.inspector.name}` : ''}</p>
          <form action={scheduleInspection} className="mt-2 flex gap-2">
            <input type="hidden" name="inspectionId" value={i.id} />
            <input type="hidden" name="version" value={i.version} />
            <InspectorSelect name="inspectorId" inspectors={inspectors} />
            <input type="datetime-local" name="scheduledFor" required />
            <button type="submit">Schedule</button>
          </form>
          <form action={cancelInspection}>
            <input type="hidden" name="inspectionId" value={i.id} />
            <input type="hidden" name="version" value={i.version} />
            <button type="submit" className="text-red-700">Cancel</button>
          </form>
        </article>
      ))}
      {nextCursor && <a href={`?cursor=${nextCursor}`}>Next page →</a>}
    </section>
  );
}
