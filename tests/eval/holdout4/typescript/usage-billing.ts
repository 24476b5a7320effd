import express, { Router } from 'express';
import Stripe from 'stripe';
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { db } from '../db';
import { orgCredits, processedStripeEvents, usageRecords } from '../db/schema';
import { logger } from '../logger';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { apiVersion: '2024-04-10', timeout: 10_000 });

export class InsufficientCreditsError extends Error {}

/** Atomically deducts credits; fails instead of going negative. */
export async function consumeCredits(orgId: string, amount: number, feature: string) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(orgCredits)
      .set({ balance: sql`${orgCredits.balance} - ${amount}`, updatedAt: new Date() })
      .where(and(eq(orgCredits.orgId, orgId), gte(orgCredits.balance, amount)))
      .returning({ balance: orgCredits.balance });
    if (!row) throw new InsufficientCreditsError(`org ${orgId} has fewer than ${amount} credits`);
    await tx.insert(usageRecords).values({ orgId, feature, credits: amount });
    return row.balance;
  });
}

export const billingRouter = Router();

billingRouter.post('/stripe/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.header('stripe-signature')!, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    logger.warn({ err }, 'invalid stripe signature');
    return res.status(400).send('invalid signature');
  }

  try {
    await db.transaction(async (tx) => {
      // dedupe: Stripe delivers at-least-once
      const fresh = await tx
        .insert(processedStripeEvents)
        .values({ eventId: event.id, type: event.type })
        .onConflictDoNothing({ target: processedStripeEvents.eventId })
        .returning({ eventId: processedStripeEvents.eventId });
      if (fresh.length === 0) return;

      if (event.type === 'checkout.session.completed') {
        const session = event.data.object as Stripe.Checkout.Session;
        const orgId = session.metadata!.org_id;
        const credits = Number(session.metadata!.credits);
        await tx
          .update(orgCredits)
          .set({ balance: sql`${orgCredits.balance} + ${credits}`, updatedAt: new Date() })
          .where(eq(orgCredits.orgId, orgId));
      }
    });
    res.json({ received: true });
  } catch (err) {
    logger.error({ err, eventId: event.id }, 'stripe webhook processing failed');
    res.status(500).json({ error: 'processing failed' }); // Stripe will retry
  }
});

billingRouter.get('/usage', async (req, res) => {
  const orgId = req.auth.orgId;
  const before = req.query.before ? new Date(String(req.query.before)) : new Date();
  const limit = Math.min(Number(req.query.limit) || 100, 500);
  const rows = await db
    .select()
    .from(usageRecords)
    .where(and(eq(usageRecords.orgId, orgId), lt(usageRecords.createdAt, before)))
    .orderBy(desc(usageRecords.createdAt))
    .limit(limit);
  res.json({ items: rows, nextBefore: rows.length === limit ? rows[rows.length - 1].createdAt : null });
});
