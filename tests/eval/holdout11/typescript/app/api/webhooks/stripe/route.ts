// app/api/webhooks/stripe/route.ts — gym membership billing
import { NextResponse } from "next/server";
import Stripe from "stripe";
import { Prisma } from "@prisma/client";
import { prisma } from "@/lib/prisma";
import { logger } from "@/lib/logger";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { apiVersion: "2024-06-20", timeout: 10_000 });

export async function POST(req: Request) {
  const body = await req.text();
  const sig = req.headers.get("stripe-signature");
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(body, sig!, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    logger.warn({ err }, "stripe signature verification failed");
    return NextResponse.json({ error: "bad signature" }, { status: 400 });
  }

  try {
    await prisma.$transaction(async (tx) => {
      // Idempotency: the event id is the primary key; a redelivery fails here with P2002
      await tx.processedStripeEvent.create({ data: { id: event.id, type: event.type } });

      switch (event.type) {
        case "invoice.paid": {
          const invoice = event.data.object as Stripe.Invoice;
          await tx.membership.update({
            where: { stripeSubscriptionId: invoice.subscription as string },
            data: {
              status: "ACTIVE",
              paidThrough: new Date(invoice.lines.data[0].period.end * 1000),
              failedPaymentCount: 0,
            },
          });
          break;
        }
        case "invoice.payment_failed": {
          const invoice = event.data.object as Stripe.Invoice;
          await tx.membership.update({
            where: { stripeSubscriptionId: invoice.subscription as string },
            data: { status: "PAST_DUE", failedPaymentCount: { increment: 1 } },
          });
          break;
        }
        case "customer.subscription.deleted": {
          const sub = event.data.object as Stripe.Subscription;
          await tx.membership.update({
            where: { stripeSubscriptionId: sub.id },
            data: { status: "CANCELLED", cancelledAt: new Date() },
          });
          break;
        }
        default:
          logger.debug({ type: event.type }, "ignored stripe event");
      }
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      return NextResponse.json({ received: true, duplicate: true });
    }
    logger.error({ err, eventId: event.id, type: event.type }, "stripe webhook processing failed");
    return NextResponse.json({ error: "processing failed" }, { status: 500 }); // Stripe will retry
  }

  return NextResponse.json({ received: true });
}
