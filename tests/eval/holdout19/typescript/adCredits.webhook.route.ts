// You're right to worry about Stripe retries: Stripe delivers events *at least once*,
// so the same `checkout.session.completed` can arrive two or three times and your
// old handler topped up the advertiser's ad credits each time. Here's the fixed route.
//
// Key points:
//  1. `ProcessedStripeEvent.id` is the Stripe event id and is the table's PRIMARY KEY.
//  2. Inserting that row and crediting the advertiser happen in ONE transaction,
//     so either both commit or neither does.
//  3. A duplicate delivery hits the unique constraint (Prisma P2002) and we reply
//     200 without touching the balance.
//  4. The balance uses `increment`, so concurrent top-ups can't overwrite each other.

// app/api/billing/stripe-webhook/route.ts
import { NextResponse } from 'next/server';
import Stripe from 'stripe';
import { Prisma } from '@prisma/client';
import { prisma } from '@/lib/prisma';
import { logger } from '@/lib/logger';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { timeout: 10_000 });

export async function POST(req: Request) {
  const body = await req.text();
  const sig = req.headers.get('stripe-signature') ?? '';

  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(body, sig, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    logger.warn({ err }, 'stripe signature verification failed');
    return NextResponse.json({ error: 'bad signature' }, { status: 400 });
  }

  if (event.type !== 'checkout.session.completed') {
    return NextResponse.json({ ignored: event.type });
  }

  const session = event.data.object as Stripe.Checkout.Session;
  const advertiserId = session.metadata?.advertiserId;
  if (!advertiserId || session.amount_total == null) {
    logger.error({ eventId: event.id }, 'checkout session without advertiserId/amount');
    return NextResponse.json({ error: 'missing metadata' }, { status: 422 });
  }

  try {
    await prisma.$transaction([
      prisma.processedStripeEvent.create({ data: { id: event.id, type: event.type } }),
      prisma.advertiser.update({
        where: { id: advertiserId },
        data: { adCreditCents: { increment: session.amount_total } },
      }),
      prisma.creditTopUp.create({
        data: { advertiserId, amountCents: session.amount_total, stripeSessionId: session.id },
      }),
    ]);
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      // Already processed this event id — acknowledge so Stripe stops retrying.
      return NextResponse.json({ duplicate: true });
    }
    logger.error({ err, eventId: event.id }, 'failed to apply ad credit top-up');
    throw err; // 500 -> Stripe retries later
  }

  return NextResponse.json({ received: true });
}

// schema.prisma (excerpt)
// model ProcessedStripeEvent {
//   id          String   @id          // Stripe event id, e.g. evt_1Nq...
//   type        String
//   processedAt DateTime @default(now())
// }
