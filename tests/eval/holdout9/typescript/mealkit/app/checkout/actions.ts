'use server';
// app/checkout/actions.ts - meal-kit checkout server actions
import { revalidatePath } from 'next/cache';
import { prisma } from '@/lib/prisma';
import { getCurrentUser } from '@/lib/session';

const HOLD_MINUTES = 15;

/** Reserve boxes for the cart while the customer pays. */
export async function reserveBoxes(recipeBoxId: string, quantity: number) {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: 'Please sign in' };

  return prisma.$transaction(async (tx) => {
    // conditional decrement - never oversells
    const { count } = await tx.recipeBox.updateMany({
      where: { id: recipeBoxId, stock: { gte: quantity } },
      data: { stock: { decrement: quantity } },
    });
    if (count === 0) return { ok: false, error: 'Sold out for this week' };

    const hold = await tx.boxReservation.create({
      data: {
        userId: user.id,
        recipeBoxId,
        quantity,
        expiresAt: new Date(Date.now() + HOLD_MINUTES * 60_000),
      },
    });
    return { ok: true, reservationId: hold.id };
  });
}

/** Apply a promo code (e.g. FIRSTBOX50) to the user's cart. */
export async function applyCoupon(formData: FormData) {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: 'Please sign in' };
  const code = String(formData.get('code') ?? '').trim().toUpperCase();

  const coupon = await prisma.coupon.findUnique({ where: { code } });
  if (!coupon || coupon.expiresOn < new Date()) {
    return { ok: false, error: 'Invalid code' };
  }
  if (coupon.timesUsed >= coupon.maxUses) {
    return { ok: false, error: 'This code has been fully redeemed' };
  }

  await prisma.$transaction([
    prisma.coupon.update({ where: { id: coupon.id }, data: { timesUsed: { increment: 1 } } }),
    prisma.cart.update({ where: { userId: user.id }, data: { couponId: coupon.id } }),
  ]);

  revalidatePath('/checkout');
  return { ok: true, discountPercent: coupon.percentOff };
}
