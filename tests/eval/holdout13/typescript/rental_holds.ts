/**
 * Great question — yes, the old `reserveEquipment` had a race: it read
 * `availableUnits`, checked `> 0` in JavaScript, then wrote `availableUnits - 1`.
 * Two farmers booking the last baler at the same time could both succeed.
 *
 * Below is a production-ready version. The decrement is now a single
 * conditional `updateMany` with Prisma's atomic `decrement`, so the database
 * enforces the `availableUnits >= 1` check. Holds expire after 20 minutes if
 * checkout isn't completed — `confirmHold` simply ignores expired holds, so no
 * extra cleanup is needed.
 */
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export const HOLD_MINUTES = 20;

export class UnavailableError extends Error {}
export class HoldExpiredError extends Error {}

/** Reserve one unit of a machine (tractor, baler, sprayer…) for a customer. */
export async function reserveEquipment(dealerId: string, equipmentId: string, customerId: string, startsOn: Date, days: number) {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.equipment.updateMany({
      where: { id: equipmentId, dealerId, availableUnits: { gte: 1 } },
      data: { availableUnits: { decrement: 1 } },
    });
    if (count === 0) throw new UnavailableError(`equipment ${equipmentId} is fully booked`);

    return tx.rentalHold.create({
      data: {
        dealerId, equipmentId, customerId, startsOn, days,
        expiresAt: new Date(Date.now() + HOLD_MINUTES * 60_000),
      },
    });
  });
}

/** Called from the checkout success page. Conditional update, so a double-submit can't confirm twice. */
export async function confirmHold(dealerId: string, holdId: string) {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.rentalHold.updateMany({
      where: { id: holdId, dealerId, confirmedAt: null, expiresAt: { gt: new Date() } },
      data: { confirmedAt: new Date() },
    });
    if (count === 0) throw new HoldExpiredError('hold expired or already used');

    const hold = await tx.rentalHold.findFirstOrThrow({ where: { id: holdId, dealerId } });
    return tx.rental.create({
      data: {
        dealerId,
        equipmentId: hold.equipmentId,
        customerId: hold.customerId,
        startsOn: hold.startsOn,
        days: hold.days,
        status: 'CONFIRMED',
      },
    });
  });
}

/** Lets the customer back out before paying; gives the unit back. */
export async function releaseHold(dealerId: string, holdId: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const hold = await tx.rentalHold.findFirst({ where: { id: holdId, dealerId }, select: { equipmentId: true } });
    if (!hold) return false;

    const { count } = await tx.rentalHold.deleteMany({ where: { id: holdId, dealerId, confirmedAt: null } });
    if (count === 0) return false; // already confirmed or released by another request

    await tx.equipment.update({
      where: { id: hold.equipmentId },
      data: { availableUnits: { increment: 1 } },
    });
    return true;
  });
}
