// src/quotes/quotes.repository.ts  (solar installer CRM, multi-tenant by orgId)
import { PrismaClient, Prisma } from '@prisma/client';
import { LRUCache } from 'lru-cache';

export const prisma = new PrismaClient();

type QuoteSummary = { id: string; customerName: string; systemKwp: number; totalCents: number; status: string };

// Each sales rep's "my drafts" sidebar - genuinely different per user, so keyed by user.
const myDraftsCache = new LRUCache<string, QuoteSummary[]>({ max: 5_000, ttl: 30_000 });

export async function listQuotes(orgId: string, opts: { cursor?: string; status?: string }) {
  return prisma.quote.findMany({
    where: { orgId, ...(opts.status ? { status: opts.status } : {}) },
    include: { panels: true, inverter: true, customer: { select: { id: true, name: true } } },
    orderBy: { createdAt: 'desc' },
    take: 50,
    ...(opts.cursor ? { skip: 1, cursor: { id: opts.cursor } } : {}),
  });
}

export async function getQuote(orgId: string, id: string) {
  return prisma.quote.findFirst({ where: { id, orgId }, include: { panels: true, inverter: true } });
}

export async function myDrafts(orgId: string, userId: string): Promise<QuoteSummary[]> {
  const key = `${orgId}:${userId}`;
  const hit = myDraftsCache.get(key);
  if (hit) return hit;
  const rows = await prisma.quote.findMany({
    where: { orgId, ownerId: userId, status: 'draft' },
    select: { id: true, customerName: true, systemKwp: true, totalCents: true, status: true },
    orderBy: { updatedAt: 'desc' },
    take: 20,
  });
  myDraftsCache.set(key, rows);
  return rows;
}

/** Optimistic concurrency: the client sends back the version it edited. */
export async function updateQuote(orgId: string, id: string, version: number, data: Prisma.QuoteUpdateInput) {
  const { count } = await prisma.quote.updateMany({
    where: { id, orgId, version },
    data: { ...data, version: { increment: 1 } },
  });
  if (count === 0) throw new Error('QUOTE_CONFLICT');
  return getQuote(orgId, id);
}

// Panel catalogue is global (no orgId column) - lookup by SKU is fine.
export async function panelBySku(sku: string) {
  return prisma.panelModel.findUnique({ where: { sku } });
}
