'use server';
// app/(dashboard)/licenses/actions.ts
//
// You're right that the previous version had a race: it read `pack.remaining`,
// checked it in JS, then wrote `remaining - 1`. Two downloads at the same time
// could both pass the check. This version makes the decrement conditional in
// the database and checks how many rows were touched.

import { revalidatePath } from 'next/cache';
import { Prisma } from '@prisma/client';
import { prisma } from '@/lib/prisma';
import { requireMember } from '@/lib/auth';

export type RedeemResult =
  | { ok: true; downloadId: string }
  | { ok: false; reason: 'no-credits' | 'already-licensed' };

/** Spend one credit from the organisation's license pack on a stock photo. */
export async function redeemLicense(packId: string, photoId: string): Promise<RedeemResult> {
  const { orgId, userId } = await requireMember();

  try {
    return await prisma.$transaction(async (tx) => {
      const spent = await tx.licensePack.updateMany({
        where: { id: packId, orgId, remaining: { gt: 0 }, expiresAt: { gt: new Date() } },
        data: { remaining: { decrement: 1 } },
      });
      if (spent.count === 0) return { ok: false, reason: 'no-credits' } as const;

      // unique (orgId, photoId) on PhotoLicense: a second redeem of the same photo fails here
      const lic = await tx.photoLicense.create({
        data: { orgId, photoId, packId, grantedBy: userId },
      });
      return { ok: true, downloadId: lic.id } as const;
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      return { ok: false, reason: 'already-licensed' };
    }
    throw err;
  } finally {
    revalidatePath('/licenses');
  }
}

/** Licensed photos for the current org, newest first, cursor-paginated. */
export async function listLicensedPhotos(cursor?: string) {
  const { orgId } = await requireMember();
  const rows = await prisma.photoLicense.findMany({
    where: { orgId },
    include: { photo: { select: { id: true, title: true, thumbUrl: true, photographer: true } } },
    orderBy: { createdAt: 'desc' },
    take: 30,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  return { rows, nextCursor: rows.length === 30 ? rows[rows.length - 1].id : null };
}
