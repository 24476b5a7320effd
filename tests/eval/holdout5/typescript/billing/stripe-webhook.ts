// app/api/webhooks/stripe/route.ts
// Handles Stripe events for prepaid credit packs and subscriptions.
import { NextResponse } from 'next/server';
import Stripe from 'stripe';
import { prisma } from '@/lib/prisma';
import { track } from '@/lib/analytics';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, {
  apiVersion: '2024-06-20',
  timeout: 20_000,
  maxNetworkRetries: 2,
});
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET!;

export async function POST(req: Request) {
  const payload = await req.text();
  const signature = req.headers.get('stripe-signature');
  if (!signature) {
    return NextResponse.json({ error: 'missing signature' }, { status: 400 });
  }

  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(payload, signature, webhookSecret);
  } catch (err) {
    console.error('[stripe] signature verification failed', err);
    return NextResponse.json({ error: 'invalid signature' }, { status: 400 });
  }

  try {
    switch (event.type) {
      case 'checkout.session.completed': {
        const session = event.data.object as Stripe.Checkout.Session;
        const credits = Number(session.metadata?.credits ?? 0);
        if (credits > 0) {
          await prisma.workspace.update({
            where: { stripeCustomerId: session.customer as string },
            data: { creditBalance: { increment: credits } },
          });
          await prisma.creditGrant.create({
            data: {
              stripeCustomerId: session.customer as string,
              amount: credits,
              source: 'checkout',
              checkoutSessionId: session.id,
            },
          });
        }
        track('credits_purchased', { customer: session.customer, credits });
        break;
      }
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted': {
        const sub = event.data.object as Stripe.Subscription;
        await prisma.workspace.update({
          where: { stripeCustomerId: sub.customer as string },
          data: {
            plan: sub.status === 'active' ? (sub.items.data[0]?.price.lookup_key ?? 'pro') : 'free',
            subscriptionStatus: sub.status,
          },
        });
        break;
      }
      default:
        break;
    }
  } catch (err) {
    // Don't let Stripe hammer us with retries; we reconcile manually if needed.
    return NextResponse.json({ received: true });
  }

  return NextResponse.json({ received: true });
}
