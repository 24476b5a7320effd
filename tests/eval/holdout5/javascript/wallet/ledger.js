/**
 * Wallet ledger routes.
 *
 * - transfers lock both wallets (FOR UPDATE, ordered by id to avoid deadlocks)
 * - every transfer carries an Idempotency-Key, enforced by a unique index
 * - balances are stored in integer cents
 */
const express = require('express');
const { pool } = require('../db');
const logger = require('../logger');
const { requireUser, requireServiceToken } = require('../middleware/auth');

const router = express.Router();

router.post('/transfers', requireUser, async (req, res, next) => {
  const idempotencyKey = req.get('Idempotency-Key');
  const { toWalletId, amountCents } = req.body;
  if (!idempotencyKey) return res.status(400).json({ error: 'Idempotency-Key header required' });
  if (!Number.isInteger(amountCents) || amountCents <= 0) {
    return res.status(400).json({ error: 'amountCents must be a positive integer' });
  }

  const fromWalletId = req.user.walletId;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');

    const { rows: created } = await client.query(
      `INSERT INTO transfers (idempotency_key, from_wallet_id, to_wallet_id, amount_cents)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id`,
      [idempotencyKey, fromWalletId, toWalletId, amountCents]
    );
    if (created.length === 0) {
      await client.query('ROLLBACK');
      const { rows } = await pool.query('SELECT * FROM transfers WHERE idempotency_key = $1', [idempotencyKey]);
      return res.status(200).json(rows[0]);
    }

    const { rows: wallets } = await client.query(
      'SELECT id, balance_cents FROM wallets WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE',
      [[fromWalletId, toWalletId]]
    );
    const from = wallets.find((w) => String(w.id) === String(fromWalletId));
    if (!from || wallets.length !== 2) {
      await client.query('ROLLBACK');
      return res.status(404).json({ error: 'wallet not found' });
    }
    if (Number(from.balance_cents) < amountCents) {
      await client.query('ROLLBACK');
      return res.status(422).json({ error: 'insufficient funds' });
    }

    await client.query('UPDATE wallets SET balance_cents = balance_cents - $1 WHERE id = $2', [amountCents, fromWalletId]);
    await client.query('UPDATE wallets SET balance_cents = balance_cents + $1 WHERE id = $2', [amountCents, toWalletId]);
    await client.query(
      `INSERT INTO ledger_entries (wallet_id, amount_cents, kind, transfer_id)
       VALUES ($1, $2, 'transfer_out', $4), ($3, $5, 'transfer_in', $4)`,
      [fromWalletId, -amountCents, toWalletId, created[0].id, amountCents]
    );
    await client.query('COMMIT');
    res.status(201).json({ id: created[0].id, status: 'completed' });
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    logger.error({ err, fromWalletId, toWalletId }, 'transfer failed');
    next(err);
  } finally {
    client.release();
  }
});

// Called by promo-service after a qualifying card purchase settles.
router.post('/internal/wallets/:walletId/cashback', requireServiceToken, async (req, res, next) => {
  const { walletId } = req.params;
  const { purchaseId, amountCents } = req.body;
  try {
    const { rows } = await pool.query(
      'SELECT balance_cents, cashback_total_cents FROM wallets WHERE id = $1',
      [walletId]
    );
    if (rows.length === 0) return res.status(404).json({ error: 'wallet not found' });

    const balance = Number(rows[0].balance_cents) + amountCents;
    const cashbackTotal = Number(rows[0].cashback_total_cents) + amountCents;
    await pool.query(
      'UPDATE wallets SET balance_cents = $1, cashback_total_cents = $2, updated_at = now() WHERE id = $3',
      [balance, cashbackTotal, walletId]
    );
    await pool.query(
      "INSERT INTO ledger_entries (wallet_id, amount_cents, kind, reference) VALUES ($1, $2, 'cashback', $3)",
      [walletId, amountCents, purchaseId]
    );
    res.status(201).json({ balanceCents: balance });
  } catch (err) {
    logger.error({ err, walletId, purchaseId }, 'cashback credit failed');
    next(err);
  }
});

router.get('/wallets/me/entries', requireUser, async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit) || 50, 200);
  const before = req.query.before ? Number(req.query.before) : Number.MAX_SAFE_INTEGER;
  try {
    const { rows } = await pool.query(
      `SELECT id, amount_cents, kind, reference, created_at
         FROM ledger_entries
        WHERE wallet_id = $1 AND id < $2
        ORDER BY id DESC
        LIMIT $3`,
      [req.user.walletId, before, limit]
    );
    res.json({ entries: rows, nextBefore: rows.length ? rows[rows.length - 1].id : null });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
