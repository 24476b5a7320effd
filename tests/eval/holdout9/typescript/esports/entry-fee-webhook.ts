// src/webhooks/entryFees.ts
// Payment-provider webhook for tournament entry fees. Provider retries deliveries
// for up to 3 days, so every event is recorded once in processed_events first.
import express, { Request, Response, NextFunction } from 'express';
import { Pool } from 'pg';
import { verifySignature } from '../payments/signature';
import { logger } from '../logger';

export const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 20,
  connectionTimeoutMillis: 5_000,
  statement_timeout: 10_000,
});

export const webhooks = express.Router();

webhooks.post('/webhooks/payments', express.raw({ type: '*/*' }), async (req: Request, res: Response, next: NextFunction) => {
  if (!verifySignature(req.body, req.header('x-pay-signature'))) return res.sendStatus(401);
  const event = JSON.parse(req.body.toString('utf8'));

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const fresh = await client.query(
      'INSERT INTO processed_events (event_id, received_at) VALUES ($1, now()) ON CONFLICT (event_id) DO NOTHING',
      [event.id]
    );
    if (fresh.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(200).json({ duplicate: true });
    }

    if (event.type === 'payment.succeeded') {
      await client.query(
        "UPDATE team_registrations SET status = 'paid', paid_at = now() WHERE id = $1 AND status = 'pending'",
        [event.data.metadata.registrationId]
      );
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    logger.error({ err, eventId: event.id }, 'entry fee webhook failed');
    return next(err);
  } finally {
    client.release();
  }

  // best-effort announcement in the league's Discord, bounded so the provider isn't kept waiting
  if (event.type === 'payment.succeeded') {
    try {
      await fetch(process.env.DISCORD_WEBHOOK_URL!, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ content: `Team ${event.data.metadata.teamName} is confirmed!` }),
        signal: AbortSignal.timeout(3_000),
      });
    } catch (err) {
      logger.warn({ err, eventId: event.id }, 'discord announcement failed');
    }
  }
  res.status(200).json({ received: true });
});
