/**
 * Good question -- yes, the original version had a race: it read the wallet
 * balance, checked it in JavaScript and then wrote the new balance, so two
 * payout requests arriving together could both pass the check and overdraw
 * the donor's wallet.
 *
 * Fixed version below. The wallet row is locked with SELECT ... FOR UPDATE
 * inside a transaction, so concurrent payouts for the same donor run one
 * after the other. The card load itself happens in a BullMQ worker, and the
 * endpoint returns 202 right away.
 */
import { Router, Request, Response, NextFunction } from 'express';
import { Pool } from 'pg';
import { Queue } from 'bullmq';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const cardLoads = new Queue('card-loads', { connection: { url: process.env.REDIS_URL } });

export const payoutsRouter = Router();

payoutsRouter.post(
  '/centers/:centerId/donors/:donorId/payouts',
  async (req: Request, res: Response, next: NextFunction) => {
    const { centerId, donorId } = req.params;
    const amountCents = Number(req.body.amountCents);
    if (!Number.isInteger(amountCents) || amountCents <= 0) {
      return res.status(400).json({ error: 'amountCents must be a positive integer' });
    }

    const client = await pool.connect();
    try {
      await client.query('BEGIN');

      const { rows } = await client.query<{ balance_cents: number }>(
        `SELECT balance_cents
           FROM donor_wallets
          WHERE donor_id = $1 AND center_id = $2
          FOR UPDATE`,
        [donorId, centerId],
      );
      if (rows.length === 0) {
        await client.query('ROLLBACK');
        return res.status(404).json({ error: 'wallet not found' });
      }
      if (rows[0].balance_cents < amountCents) {
        await client.query('ROLLBACK');
        return res.status(409).json({ error: 'insufficient balance' });
      }

      await client.query(
        `UPDATE donor_wallets SET balance_cents = balance_cents - $3, updated_at = now()
          WHERE donor_id = $1 AND center_id = $2`,
        [donorId, centerId, amountCents],
      );
      const payout = await client.query<{ id: string }>(
        `INSERT INTO donor_payouts (donor_id, center_id, amount_cents, status)
         VALUES ($1, $2, $3, 'pending') RETURNING id`,
        [donorId, centerId, amountCents],
      );

      await client.query('COMMIT');

      await cardLoads.add('load', { payoutId: payout.rows[0].id }, { jobId: payout.rows[0].id });
      res.status(202).json({ payoutId: payout.rows[0].id, status: 'pending' });
    } catch (err) {
      await client.query('ROLLBACK');
      next(err);
    } finally {
      client.release();
    }
  },
);
