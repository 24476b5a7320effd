import express, { Request, Response, NextFunction } from "express";
import axios from "axios";
import Stripe from "stripe";
import { PrismaClient } from "@prisma/client";
import { requireUser } from "./middleware/auth";

const prisma = new PrismaClient();
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY as string, { timeout: 10_000 });
const RENDER_URL = process.env.PDF_RENDER_URL ?? "http://pdf-render.signing.svc:8080";

// Credits granted per purchased pack
const PACK_CREDITS: Record<string, number> = {
  price_pack_10: 10,
  price_pack_50: 50,
  price_pack_200: 200,
};

export const router = express.Router();

/**
 * Create an envelope: stamps signature fields onto the uploaded PDF via the
 * render service, stores the envelope and consumes one signing credit.
 */
router.post("/envelopes", requireUser, async (req: Request, res: Response, next: NextFunction) => {
  try {
    const { documentId, signers, fields } = req.body as {
      documentId: string;
      signers: { email: string; name: string }[];
      fields: { page: number; x: number; y: number; signerIndex: number }[];
    };
    const accountId = req.user!.accountId;

    const consumed = await prisma.account.updateMany({
      where: { id: accountId, signingCredits: { gt: 0 } },
      data: { signingCredits: { decrement: 1 } },
    });
    if (consumed.count === 0) {
      return res.status(402).json({ error: "No signing credits left" });
    }

    const doc = await prisma.document.findFirstOrThrow({ where: { id: documentId, accountId } });
    const rendered = await axios.post(`${RENDER_URL}/stamp`, { sourceKey: doc.storageKey, fields });

    const envelope = await prisma.envelope.create({
      data: {
        accountId,
        documentId,
        renderedKey: rendered.data.outputKey,
        status: "SENT",
        signers: { create: signers.map((s, i) => ({ ...s, order: i })) },
      },
    });
    res.status(201).json({ id: envelope.id });
  } catch (err) {
    next(err);
  }
});

/**
 * Stripe webhook: top up signing credits after a credit pack checkout.
 */
router.post(
  "/webhooks/stripe",
  express.raw({ type: "application/json" }),
  async (req: Request, res: Response) => {
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(
        req.body,
        req.headers["stripe-signature"] as string,
        process.env.STRIPE_WEBHOOK_SECRET as string
      );
    } catch (err) {
      console.warn("invalid stripe signature", err);
      return res.status(400).send("invalid signature");
    }

    if (event.type === "checkout.session.completed") {
      const session = event.data.object as Stripe.Checkout.Session;
      const priceId = session.metadata?.priceId ?? "";
      const credits = PACK_CREDITS[priceId] ?? 0;
      await prisma.account.update({
        where: { stripeCustomerId: session.customer as string },
        data: { signingCredits: { increment: credits } },
      });
      await prisma.creditPurchase.create({
        data: { stripeSessionId: session.id, credits, amountCents: session.amount_total ?? 0 },
      });
    }
    res.json({ received: true });
  }
);
