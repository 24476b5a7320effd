// src/webhooks/courierWebhook.ts
// The haulier that carries the co-op's kiln-dried firewood posts delivery
// status events here. They redeliver on any non-2xx and sometimes twice
// anyway, so each event id is recorded in the same transaction as its effect.
import express, { Request, Response, NextFunction } from 'express';
import crypto from 'node:crypto';
import { pool } from '../db/pool';
import { logger } from '../logger';

type CourierEvent = {
  id: string;
  type: 'delivery.out_for_delivery' | 'delivery.delivered' | 'delivery.failed';
  deliveryRef: string;
  occurredAt: string;
  podPhotoUrl?: string;
  failureReason?: string;
};

const SECRET = process.env.COURIER_WEBHOOK_SECRET ?? '';

function signatureOk(raw: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const mac = crypto.createHmac('sha256', SECRET).update(raw).digest();
  const given = Buffer.from(header, 'base64');
  return given.length === mac.length && crypto.timingSafeEqual(given, mac);
}

export const courierWebhook = express.Router();

courierWebhook.post(
  '/webhooks/courier',
  express.raw({ type: 'application/json', limit: '64kb' }),
  async (req: Request, res: Response, next: NextFunction) => {
    if (!signatureOk(req.body as Buffer, req.get('X-Courier-Signature'))) {
      return res.status(401).end();
    }
    const event = JSON.parse((req.body as Buffer).toString('utf8')) as CourierEvent;

    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const seen = await client.query(
        `INSERT INTO courier_events (event_id, event_type, received_at)
         VALUES ($1, $2, now())
         ON CONFLICT (event_id) DO NOTHING`,
        [event.id, event.type]
      );
      if (seen.rowCount === 0) {
        await client.query('ROLLBACK');
        return res.status(200).json({ duplicate: true });
      }

      if (event.type === 'delivery.delivered') {
        await client.query(
          `UPDATE deliveries SET status = 'delivered', delivered_at = $2, pod_photo_url = $3
            WHERE courier_ref = $1 AND status <> 'delivered'`,
          [event.deliveryRef, event.occurredAt, event.podPhotoUrl ?? null]
        );
      } else if (event.type === 'delivery.failed') {
        await client.query(
          `UPDATE deliveries SET status = 'failed', failure_reason = $2
            WHERE courier_ref = $1 AND status = 'out_for_delivery'`,
          [event.deliveryRef, event.failureReason ?? 'unknown']
        );
      } else {
        await client.query(
          `UPDATE deliveries SET status = 'out_for_delivery' WHERE courier_ref = $1 AND status = 'scheduled'`,
          [event.deliveryRef]
        );
      }

      await client.query('COMMIT');
      res.status(200).json({ ok: true });
    } catch (err) {
      await client.query('ROLLBACK');
      logger.error({ err, eventId: event.id }, 'courier webhook failed');
      next(err);
    } finally {
      client.release();
    }
  }
);
