// Allotment society water-butt bulk orders (Express + Knex, Postgres).
// Each society runs its own delivery batches; plot holders order butts
// against a batch until the lorry is full.
const express = require('express');
const { knex } = require('../db/knex');
const { authenticate } = require('../auth/jwt');

const router = express.Router();
router.use(authenticate);

const MAX_PER_PLOT = 4;

router.post('/batches/:batchId/orders', async (req, res, next) => {
  const batchId = Number(req.params.batchId);
  const qty = Number(req.body.quantity);
  const idempotencyKey = req.get('Idempotency-Key');
  const { societyId, plotHolderId } = req.user;

  if (!Number.isInteger(qty) || qty < 1 || qty > MAX_PER_PLOT) {
    return res.status(400).json({ error: `Order between 1 and ${MAX_PER_PLOT} butts` });
  }
  if (!idempotencyKey) {
    return res.status(400).json({ error: 'Idempotency-Key header is required' });
  }

  try {
    const order = await knex.transaction(async (trx) => {
      // The unique index (society_id, idempotency_key) makes a resubmitted
      // form a no-op instead of a second order.
      const inserted = await trx('butt_orders')
        .insert({
          society_id: societyId,
          batch_id: batchId,
          plot_holder_id: plotHolderId,
          quantity: qty,
          idempotency_key: idempotencyKey,
        })
        .onConflict(['society_id', 'idempotency_key'])
        .ignore()
        .returning(['id', 'quantity', 'created_at']);

      if (inserted.length === 0) {
        const existing = await trx('butt_orders')
          .where({ society_id: societyId, idempotency_key: idempotencyKey })
          .first('id', 'quantity', 'created_at');
        return { ...existing, replayed: true };
      }

      // Reserve lorry space in a single conditional statement.
      const updated = await trx('butt_batches')
        .where({ id: batchId, society_id: societyId })
        .andWhere('remaining', '>=', qty)
        .decrement('remaining', qty);

      if (updated === 0) {
        const err = new Error('Not enough butts left on this delivery');
        err.status = 409;
        throw err;
      }
      return { ...inserted[0], replayed: false };
    });

    res.status(order.replayed ? 200 : 201).json(order);
  } catch (err) {
    if (err.status === 409) {
      return res.status(409).json({ error: err.message });
    }
    next(err);
  }
});

// A plot holder's own orders, newest first, one page at a time.
router.get('/orders', async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit) || 20, 50);
  const before = req.query.before ? new Date(req.query.before) : null;

  try {
    const query = knex('butt_orders as o')
      .join('butt_batches as b', 'b.id', 'o.batch_id')
      .where('o.society_id', req.user.societyId)
      .andWhere('o.plot_holder_id', req.user.plotHolderId)
      .select('o.id', 'o.quantity', 'o.created_at', 'b.delivery_date', 'b.colour')
      .orderBy('o.created_at', 'desc')
      .limit(limit);

    if (before) query.andWhere('o.created_at', '<', before);

    const rows = await query;
    res.json({
      orders: rows,
      next: rows.length === limit ? rows[rows.length - 1].created_at : null,
    });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
