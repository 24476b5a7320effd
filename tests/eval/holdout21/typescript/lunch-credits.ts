// src/lunch/credits.ts — school lunch credit accounts (Prisma + Postgres)
//
// Parents top up through the payment page; the canteen till deducts a meal. Both run
// on the same API (several pods). Amounts are integer pence.
import { Prisma, PrismaClient } from '@prisma/client';
import { logger } from '../lib/logger';

const prisma = new PrismaClient();

export class InsufficientCredit extends Error {}

/**
 * Deduct one meal at the till. The balance check and the decrement happen in a
 * single UPDATE, so two tills scanning the same card can't both spend the last meal.
 */
export async function chargeMeal(schoolId: string, pupilCardId: string, pricePence: number) {
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.lunchAccount.updateMany({
      where: { schoolId, cardId: pupilCardId, balancePence: { gte: pricePence } },
      data: { balancePence: { decrement: pricePence } },
    });
    if (count === 0) throw new InsufficientCredit(pupilCardId);

    await tx.lunchLedger.create({
      data: { schoolId, cardId: pupilCardId, deltaPence: -pricePence, reason: 'MEAL' },
    });
  });
}

/**
 * Credit a top-up. The payment page sends an Idempotency-Key header; topUp.idempotencyKey
 * is UNIQUE, so a double-submitted form or a retried request only credits once.
 */
export async function topUp(
  schoolId: string,
  cardId: string,
  amountPence: number,
  idempotencyKey: string,
) {
  try {
    return await prisma.$transaction(async (tx) => {
      const record = await tx.topUp.create({
        data: { schoolId, cardId, amountPence, idempotencyKey },
      });
      await tx.lunchAccount.update({
        where: { schoolId_cardId: { schoolId, cardId } },
        data: { balancePence: { increment: amountPence } },
      });
      await tx.lunchLedger.create({
        data: { schoolId, cardId, deltaPence: amountPence, reason: 'TOP_UP' },
      });
      return { topUpId: record.id, replayed: false };
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      const existing = await prisma.topUp.findUniqueOrThrow({ where: { idempotencyKey } });
      return { topUpId: existing.id, replayed: true };
    }
    logger.error({ err, schoolId, cardId }, 'top-up failed');
    throw err;
  }
}

/** Statement view for parents: newest first, keyset pagination. */
export async function ledgerPage(
  schoolId: string,
  cardId: string,
  cursor?: string,
  pageSize = 30,
) {
  const take = Math.min(pageSize, 100);
  const rows = await prisma.lunchLedger.findMany({
    where: { schoolId, cardId },
    orderBy: { id: 'desc' },
    take: take + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  const hasMore = rows.length > take;
  const page = rows.slice(0, take);
  return { entries: page, nextCursor: hasMore ? page[page.length - 1].id : null };
}
