// src/webhooks/netsPayments.ts
// Card payments for cricket nets lane bookings arrive from the payment provider.
// The provider redelivers events until it gets a 2xx, and may deliver them twice,
// so each event id is recorded in processed_webhook_events in the same transaction.

import express, { Request, Response, NextFunction } from 'express';
import crypto from 'node:crypto';
import { pool } from '../db'; // pg Pool, max 20, statement_timeout 5s
import { logger } from '../logger';

export const netsWebhookRouter = express.Router();

interface PaymentEvent {
  id: string;
  type: string;
  data: { object: { id: string; amount: number; metadata: { nets_booking_id: string } } };
}

function signatureIsValid(raw: Buffer, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = crypto.createHmac('sha256', process.env.PAYMENTS_WEBHOOK_SECRET!).update(raw).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

netsWebhookRouter.post(
  '/webhooks/nets-payments',
  express.raw({ type: 'application/json', limit: '256kb' }),
  async (req: Request, res: Response, next: NextFunction) => {
    if (!signatureIsValid(req.body, req.get('x-signature') ?? undefined)) {
      return res.status(400).json({ error: 'invalid signature' });
    }
    const event = JSON.parse(req.body.toString('utf8')) as PaymentEvent;
    if (event.type !== 'charge.succeeded') return res.status(204).end();

    const client = await pool.connect();
    try {
      await client.query('BEGIN');

      const fresh = await client.query(
        `INSERT INTO processed_webhook_events (event_id, source, received_at)
         VALUES ($1, 'nets-payments', now())
         ON CONFLICT (event_id) DO NOTHING`,
        [event.id],
      );
      if (fresh.rowCount === 0) {
        await client.query('ROLLBACK');
        logger.info({ eventId: event.id }, 'duplicate nets payment event ignored');
        return res.status(200).json({ duplicate: true });
      }

      const charge = event.data.object;
      await client.query(
        `UPDATE nets_bookings
            SET paid = true, paid_pence = $2, payment_ref = $3, paid_at = now()
          WHERE id = $1`,
        [charge.metadata.nets_booking_id, charge.amount, charge.id],
      );
      await client.query(
        `INSERT INTO club_ledger (booking_id, amount_pence, kind, external_ref)
         VALUES ($1, $2, 'nets_fee', $3)`,
        [charge.metadata.nets_booking_id, charge.amount, charge.id],
      );

      await client.query('COMMIT');
      res.status(200).json({ received: true });
    } catch (err) {
      await client.query('ROLLBACK');
      logger.error({ err, eventId: event.id }, 'failed to apply nets payment');
      next(err);
    } finally {
      client.release();
    }
  },
);
