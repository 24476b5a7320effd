'use server';

// app/(beekeeper)/hives/actions.ts
// Server actions for the hive inspection log. Every beekeeper only ever sees their own
// apiaries and hives, so the cached data below is keyed by the signed-in user on purpose.

import { revalidateTag, unstable_cache } from 'next/cache';
import { z } from 'zod';
import { prisma } from '@/lib/prisma';
import { auth } from '@/auth';

const InspectionInput = z.object({
  hiveId: z.string().uuid(),
  queenSeen: z.boolean(),
  broodFrames: z.number().int().min(0).max(30),
  temperament: z.enum(['calm', 'nervous', 'defensive']),
  varroaPer100: z.number().min(0).max(100).optional(),
  notes: z.string().max(2000).optional(),
});

async function requireUserId(): Promise<string> {
  const session = await auth();
  if (!session?.user?.id) throw new Error('Not signed in');
  return session.user.id;
}

const getMyApiaries = (userId: string) =>
  unstable_cache(
    () =>
      prisma.apiary.findMany({
        where: { ownerId: userId },
        select: { id: true, name: true, _count: { select: { hives: true } } },
        orderBy: { name: 'asc' },
      }),
    ['apiaries', userId],
    { tags: [`apiaries:${userId}`], revalidate: 300 },
  )();

export async function loadApiaries() {
  const userId = await requireUserId();
  return getMyApiaries(userId);
}

export async function recordInspection(input: z.infer<typeof InspectionInput>) {
  const userId = await requireUserId();
  const data = InspectionInput.parse(input);

  // Ownership check: the hive must belong to one of this user's apiaries.
  const hive = await prisma.hive.findFirst({ where: { id: data.hiveId, apiary: { ownerId: userId } } });
  if (!hive) throw new Error('Hive not found');

  await prisma.inspection.create({ data: { ...data, inspectedById: userId } });
  revalidateTag(`apiaries:${userId}`);
}

export async function listInspections(hiveId: string, cursor?: string) {
  const userId = await requireUserId();
  return prisma.inspection.findMany({
    where: { hiveId, hive: { apiary: { ownerId: userId } } },
    orderBy: { inspectedAt: 'desc' },
    take: 20,
    ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
  });
}

/** Latest mite count per hive for the "treatment due" badge. */
export async function miteSummary(apiaryId: string) {
  const userId = await requireUserId();
  const summary: Record<string, number | null> = {};
  let cursor: string | undefined;

  // Big commercial apiaries have a few hundred hives: walk them 100 at a time,
  // one batched query per page.
  for (;;) {
    const hives = await prisma.hive.findMany({
      where: { apiaryId, apiary: { ownerId: userId } },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: 100,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
    if (hives.length === 0) break;

    const latest = await prisma.inspection.findMany({
      where: { hiveId: { in: hives.map((h) => h.id) }, varroaPer100: { not: null } },
      distinct: ['hiveId'],
      orderBy: [{ hiveId: 'asc' }, { inspectedAt: 'desc' }],
      select: { hiveId: true, varroaPer100: true },
    });
    for (const h of hives) summary[h.id] = latest.find((l) => l.hiveId === h.id)?.varroaPer100 ?? null;

    cursor = hives[hives.length - 1].id;
    if (hives.length < 100) break;
  }
  return summary;
}
