// src/webhooks/scoutHutDepositWebhook.ts
// Card processor webhook for scout hut hire deposits. The processor delivers
// at-least-once, so every event id is recorded before any effect is applied.

import express, { Request, Response, NextFunction } from "express";
import crypto from "node:crypto";
import { pool } from "../db/pool";
import { logger } from "../logger";

interface DepositEvent {
  id: string;
  type: "deposit.succeeded" | "deposit.refunded" | string;
  data: { bookingRef: string; amountPence: number };
}

const secret = process.env.DEPOSIT_WEBHOOK_SECRET ?? "";

function signatureValid(raw: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const digest = crypto.createHmac("sha256", secret).update(raw).digest();
  const given = Buffer.from(header, "base64");
  return given.length === digest.length && crypto.timingSafeEqual(given, digest);
}

export const depositWebhookRouter = express.Router();

depositWebhookRouter.post(
  "/webhooks/hut-deposits",
  express.raw({ type: "application/json", limit: "64kb" }),
  async (req: Request, res: Response, next: NextFunction) => {
    if (!signatureValid(req.body as Buffer, req.get("X-Deposit-Signature"))) {
      return res.status(400).send("bad signature");
    }
    const event = JSON.parse((req.body as Buffer).toString("utf8")) as DepositEvent;

    const client = await pool.connect();
    try {
      await client.query("BEGIN");

      // processed_webhook_events.event_id is the primary key
      const fresh = await client.query(
        `INSERT INTO processed_webhook_events (event_id, source, received_at)
         VALUES ($1, 'hut-deposits', now())
         ON CONFLICT (event_id) DO NOTHING`,
        [event.id]
      );
      if (fresh.rowCount === 0) {
        await client.query("ROLLBACK");
        logger.info({ eventId: event.id }, "duplicate deposit webhook ignored");
        return res.status(200).json({ duplicate: true });
      }

      if (event.type === "deposit.succeeded") {
        await client.query(
          `UPDATE hut_bookings
              SET status = 'confirmed', deposit_paid_pence = $2, confirmed_at = now()
            WHERE booking_ref = $1 AND status = 'provisional'`,
          [event.data.bookingRef, event.data.amountPence]
        );
      } else if (event.type === "deposit.refunded") {
        await client.query(
          `UPDATE hut_bookings
              SET status = 'cancelled', deposit_refunded_at = now()
            WHERE booking_ref = $1 AND status IN ('provisional', 'confirmed')`,
          [event.data.bookingRef]
        );
      }

      await client.query("COMMIT");
      return res.status(200).json({ received: true });
    } catch (err) {
      await client.query("ROLLBACK");
      logger.error({ err, eventId: event.id }, "deposit webhook failed; processor will redeliver");
      return next(err);
    } finally {
      client.release();
    }
  }
);
