// src/seed-bank/seed-requests.repository.ts
// Prisma data access for the seed bank's request queue and the volunteer packing screen.
import { PrismaClient, Prisma } from '@prisma/client';

export const prisma = new PrismaClient();

export interface GerminationStats {
  varietyId: number;
  season: number;
  sown: number;
  germinated: number;
  rate: number;
}

export interface PackingRow {
  requestId: number;
  varietyName: string;
  packets: number;
  memberName: string;
  postcode: string;
  germinationRate: number | null;
}

// variety+season -> stats; germination reports only change at season end
const germinationCache = new Map<string, GerminationStats>();

export async function germinationFor(varietyId: number, season: number): Promise<GerminationStats> {
  const key = `${varietyId}:${season}`;
  const cached = germinationCache.get(key);
  if (cached) return cached;

  // grow reports are pooled across all member banks on purpose: the variety catalogue is shared
  const agg = await prisma.growReport.aggregate({
    where: { varietyId, season },
    _sum: { seedsSown: true, seedsGerminated: true },
  });
  const sown = agg._sum.seedsSown ?? 0;
  const germinated = agg._sum.seedsGerminated ?? 0;
  const stats = { varietyId, season, sown, germinated, rate: sown ? germinated / sown : 0 };
  germinationCache.set(key, stats);
  return stats;
}

/** Oldest open requests for one seed bank, for the packing volunteers. */
export async function packingQueue(bankId: number, take = 50): Promise<PackingRow[]> {
  const requests = await prisma.seedRequest.findMany({
    where: { bankId, status: 'OPEN' },
    orderBy: { createdAt: 'asc' },
    take: Math.min(take, 200),
    include: { variety: { select: { id: true, name: true } } },
  });

  const rows: PackingRow[] = [];
  for (const r of requests) {
    const member = await prisma.member.findUnique({
      where: { id: r.memberId },
      select: { displayName: true, postcode: true },
    });
    rows.push({
      requestId: r.id,
      varietyName: r.variety.name,
      packets: r.packets,
      memberName: member?.displayName ?? 'unknown',
      postcode: member?.postcode ?? '',
      germinationRate: null,
    });
  }
  return rows;
}

/** Mark a batch of requests as packed in one statement. */
export async function markPacked(bankId: number, requestIds: number[], volunteerId: number) {
  if (requestIds.length === 0) return 0;
  const res = await prisma.seedRequest.updateMany({
    where: { bankId, id: { in: requestIds }, status: 'OPEN' },
    data: { status: 'PACKED', packedById: volunteerId, packedAt: new Date() },
  });
  return res.count;
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}
