// src/services/seedLibrary.ts
// Seed-swap library: members reserve a packet online, get a six-character
// collection code, and pick the packet up from the library cabinet within 72h.
import { randomBytes } from 'node:crypto';
import { PrismaClient, SeedVariety } from '@prisma/client';

const prisma = new PrismaClient();

const COLLECTION_HOURS = 72;

type VarietySearchResult = Pick<SeedVariety, 'id' | 'slug' | 'commonName' | 'latinName' | 'sowFrom' | 'sowTo'>;

// Search results are reused between requests: the catalogue only changes when
// volunteers add donations on swap evenings.
const varietySearchCache = new Map<string, VarietySearchResult[]>();

export async function searchVarieties(term: string): Promise<VarietySearchResult[]> {
  const key = term.trim().toLowerCase();
  const hit = varietySearchCache.get(key);
  if (hit) return hit;

  const results = await prisma.seedVariety.findMany({
    where: {
      OR: [
        { commonName: { contains: key, mode: 'insensitive' } },
        { latinName: { contains: key, mode: 'insensitive' } },
      ],
    },
    select: { id: true, slug: true, commonName: true, latinName: true, sowFrom: true, sowTo: true },
    orderBy: { commonName: 'asc' },
    take: 30,
  });
  varietySearchCache.set(key, results);
  return results;
}

function newCollectionCode(): string {
  return randomBytes(4).toString('base64url').slice(0, 6).toUpperCase();
}

export async function reservePacket(packetId: number, memberId: number) {
  const now = new Date();
  const heldUntil = new Date(now.getTime() + COLLECTION_HOURS * 3600_000);

  return prisma.$transaction(async (tx) => {
    // A packet is free if it is on the shelf or its previous hold has lapsed.
    const taken = await tx.seedPacket.updateMany({
      where: {
        id: packetId,
        OR: [{ status: 'ON_SHELF' }, { status: 'HELD', heldUntil: { lt: now } }],
      },
      data: { status: 'HELD', heldUntil, heldBy: memberId },
    });
    if (taken.count === 0) return null;

    const code = await tx.collectionCode.create({
      data: { code: newCollectionCode(), packetId, memberId, expiresAt: heldUntil },
    });
    return { code: code.code, collectBy: heldUntil };
  });
}

// Called by the volunteer's tablet at the cabinet when a member shows a code.
export async function redeemCollectionCode(code: string) {
  const now = new Date();
  return prisma.$transaction(async (tx) => {
    const used = await tx.collectionCode.updateMany({
      where: { code, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (used.count === 0) return null;

    const row = await tx.collectionCode.findUniqueOrThrow({ where: { code } });
    await tx.seedPacket.update({
      where: { id: row.packetId },
      data: { status: 'ON_LOAN', heldUntil: null },
    });
    return tx.seedLoan.create({
      data: { packetId: row.packetId, memberId: row.memberId, returnBy: new Date(now.getTime() + 240 * 86400_000) },
    });
  });
}

export async function activeCodesFor(memberId: number) {
  return prisma.collectionCode.findMany({
    where: { memberId, usedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { expiresAt: 'asc' },
    take: 10,
  });
}
