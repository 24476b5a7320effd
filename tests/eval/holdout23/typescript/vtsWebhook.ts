import express, { NextFunction, Request, Response } from 'express';
import crypto from 'node:crypto';
import { pool } from '../db'; // app-wide pg Pool
import { logger } from '../logger';

// The port's Vessel Traffic Service pushes ETA changes and cancellations for
// inbound ships. VTS delivers at-least-once and resends on any non-2xx.
interface VtsEvent {
  id: string;
  type: 'vessel.eta_changed' | 'vessel.movement_cancelled';
  data: { portId: string; imo: string; eta?: string };
}

const SECRET = process.env.VTS_WEBHOOK_SECRET ?? '';

function validSignature(raw: Buffer, signature: string | undefined): boolean {
  if (!signature || !SECRET) return false;
  const expected = crypto.createHmac('sha256', SECRET).update(raw).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

export const vtsWebhook = express.Router();

vtsWebhook.post(
  '/webhooks/vts',
  express.raw({ type: 'application/json', limit: '64kb' }),
  async (req: Request, res: Response, next: NextFunction) => {
    if (!validSignature(req.body, req.header('x-vts-signature'))) {
      return res.sendStatus(401);
    }
    const evt = JSON.parse(req.body.toString('utf8')) as VtsEvent;

    const client = await pool.connect();
    try {
      await client.query('BEGIN');

      // Dedupe and apply in one transaction: a redelivered event finds its id
      // already recorded and changes nothing.
      const inserted = await client.query(
        `INSERT INTO processed_webhook_events (source, event_id, received_at)
         VALUES ('vts', $1, now())
         ON CONFLICT (source, event_id) DO NOTHING
         RETURNING event_id`,
        [evt.id],
      );
      if (inserted.rowCount === 0) {
        await client.query('ROLLBACK');
        return res.status(200).json({ duplicate: true });
      }

      if (evt.type === 'vessel.eta_changed' && evt.data.eta) {
        await client.query(
          `UPDATE pilot_jobs SET boarding_eta = $1, updated_at = now()
            WHERE port_id = $2 AND vessel_imo = $3 AND status IN ('open', 'assigned')`,
          [evt.data.eta, evt.data.portId, evt.data.imo],
        );
      } else if (evt.type === 'vessel.movement_cancelled') {
        await client.query(
          `UPDATE pilot_jobs SET status = 'cancelled', updated_at = now()
            WHERE port_id = $1 AND vessel_imo = $2 AND status = 'open'`,
          [evt.data.portId, evt.data.imo],
        );
      }

      await client.query('COMMIT');
      res.status(200).json({ ok: true });
    } catch (err) {
      await client.query('ROLLBACK');
      logger.error({ err, eventId: evt.id }, 'vts webhook failed');
      next(err);
    } finally {
      client.release();
    }
  },
);

// Called by the nightly maintenance worker. VTS never redelivers anything
// older than 72 h, so a 30-day dedupe window is plenty.
export async function pruneProcessedEvents(): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM processed_webhook_events
      WHERE source = 'vts' AND received_at < now() - interval '30 days'`,
  );
  logger.info({ deleted: rowCount }, 'pruned processed vts events');
  return rowCount ?? 0;
}
