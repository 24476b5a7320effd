// src/subscriptions/season-renewals.ts
// Opera season-ticket subscriptions: admin kicks off the renewal run for next season,
// the run happens in the `worker` deployment (BullMQ), and Stripe tells us when invoices are paid.
import express from 'express';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { PrismaClient } from '@prisma/client';
import Stripe from 'stripe';
import { requireAdmin } from '../auth';
import { logger } from '../logger';

const connection = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
const prisma = new PrismaClient();
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { timeout: 15_000, maxNetworkRetries: 2 });

const renewals = new Queue('season-renewals', { connection });

export const router = express.Router();

// Kick off the run: returns immediately, progress is polled from /admin/jobs/:id
router.post('/admin/seasons/:seasonId/renewals', requireAdmin, async (req, res, next) => {
  try {
    const job = await renewals.add(
      'run',
      { seasonId: req.params.seasonId },
      { jobId: `run:${req.params.seasonId}`, attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
    );
    res.status(202).json({ jobId: job.id, statusUrl: `/admin/jobs/${job.id}` });
  } catch (err) {
    next(err);
  }
});

router.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res, next) => {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    logger.warn({ err }, 'bad stripe signature');
    return res.status(400).send('invalid signature');
  }

  try {
    await prisma.$transaction(async (tx) => {
      // Stripe delivers at-least-once; the primary key on event_id makes this a no-op on replays.
      const fresh = await tx.$executeRaw`
        INSERT INTO processed_stripe_events (event_id, type, received_at)
        VALUES (${event.id}, ${event.type}, now())
        ON CONFLICT (event_id) DO NOTHING`;
      if (fresh === 0) return;

      if (event.type === 'invoice.paid') {
        const invoice = event.data.object as Stripe.Invoice;
        await tx.subscription.updateMany({
          where: { stripeInvoiceId: invoice.id, status: 'RENEWAL_PENDING' },
          data: { status: 'ACTIVE', renewedAt: new Date() },
        });
      }
    });
    res.json({ received: true });
  } catch (err) {
    logger.error({ err, eventId: event.id }, 'stripe webhook failed');
    next(err); // 500 -> Stripe retries later
  }
});

// ---- worker deployment -------------------------------------------------------------
export const renewalWorker = new Worker(
  'season-renewals',
  async (job) => {
    if (job.name === 'run') {
      // Fan out one child job per subscription, one page (and one addBulk) at a time.
      let cursor: string | undefined;
      for (;;) {
        const page = await prisma.subscription.findMany({
          where: { seasonId: job.data.seasonId, autoRenew: true, status: 'ACTIVE' },
          select: { id: true },
          orderBy: { id: 'asc' },
          take: 500,
          ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
        });
        if (page.length === 0) break;
        await renewals.addBulk(
          page.map((s) => ({
            name: 'renew-one',
            data: { subscriptionId: s.id },
            opts: { jobId: `renew:${s.id}`, attempts: 5, backoff: { type: 'exponential', delay: 30_000 } },
          })),
        );
        cursor = page[page.length - 1].id;
        await job.updateProgress({ queuedThrough: cursor });
      }
      return;
    }

    // 'renew-one': create the next-season invoice; the idempotency key makes job retries safe
    const sub = await prisma.subscription.findUniqueOrThrow({
      where: { id: job.data.subscriptionId },
      include: { package: true },
    });
    const invoice = await stripe.invoices.create(
      { customer: sub.stripeCustomerId, collection_method: 'charge_automatically', auto_advance: true },
      { idempotencyKey: `renewal-invoice:${sub.id}:${sub.package.nextSeasonId}` },
    );
    await prisma.subscription.update({
      where: { id: sub.id },
      data: { status: 'RENEWAL_PENDING', stripeInvoiceId: invoice.id },
    });
  },
  { connection, concurrency: 10 },
);
