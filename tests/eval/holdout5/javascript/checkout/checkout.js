// routes/checkout.js
const express = require('express');
const { pool } = require('../db'); // shared pg Pool, created once at startup
const logger = require('../logger');
const { requireAuth } = require('../middleware/auth');

const router = express.Router();
const MAX_LINES = 50;

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// Merge duplicate product ids so one UPDATE ... FROM unnest() row per product
function normalizeItems(items) {
  const qtyById = new Map();
  for (const { productId, qty } of items) {
    if (!Number.isInteger(qty) || qty <= 0) throw new HttpError(400, 'qty must be a positive integer');
    qtyById.set(String(productId), (qtyById.get(String(productId)) || 0) + qty);
  }
  return { ids: [...qtyById.keys()], qtys: [...qtyById.values()] };
}

router.post('/checkout', requireAuth, async (req, res, next) => {
  const idempotencyKey = req.get('Idempotency-Key');
  const items = req.body.items || [];
  if (!idempotencyKey) return res.status(400).json({ error: 'Idempotency-Key header is required' });
  if (items.length === 0 || items.length > MAX_LINES) return res.status(400).json({ error: 'invalid cart' });

  const client = await pool.connect();
  try {
    const { ids, qtys } = normalizeItems(items);
    await client.query('BEGIN');

    const { rows: orderRows } = await client.query(
      `INSERT INTO orders (customer_id, idempotency_key, status)
       VALUES ($1, $2, 'pending')
       ON CONFLICT (customer_id, idempotency_key) DO NOTHING
       RETURNING id`,
      [req.user.id, idempotencyKey]
    );
    if (orderRows.length === 0) {
      // Replayed request: hand back the order created the first time
      await client.query('ROLLBACK');
      const { rows } = await pool.query(
        'SELECT id, status, total_cents FROM orders WHERE customer_id = $1 AND idempotency_key = $2',
        [req.user.id, idempotencyKey]
      );
      return res.status(200).json(rows[0]);
    }
    const orderId = orderRows[0].id;

    // Decrement every line in one statement; a row only matches if enough stock is left
    const { rows: reserved } = await client.query(
      `UPDATE products p
          SET stock = p.stock - x.qty
         FROM unnest($1::bigint[], $2::int[]) AS x(id, qty)
        WHERE p.id = x.id AND p.stock >= x.qty
        RETURNING p.id, p.price_cents, x.qty`,
      [ids, qtys]
    );
    if (reserved.length !== ids.length) throw new HttpError(409, 'one or more items are out of stock');

    await client.query(
      `INSERT INTO order_items (order_id, product_id, qty, unit_price_cents)
       SELECT $1, r.id, r.qty, r.price_cents
         FROM unnest($2::bigint[], $3::int[], $4::int[]) AS r(id, qty, price_cents)`,
      [orderId, reserved.map((r) => r.id), reserved.map((r) => r.qty), reserved.map((r) => r.price_cents)]
    );
    const total = reserved.reduce((sum, r) => sum + r.qty * r.price_cents, 0);
    await client.query('UPDATE orders SET total_cents = $1 WHERE id = $2', [total, orderId]);

    await client.query('COMMIT');
    res.status(201).json({ id: orderId, status: 'pending', totalCents: total });
  } catch (err) {
    await client.query('ROLLBACK');
    if (err instanceof HttpError) return res.status(err.status).json({ error: err.message });
    logger.error({ err, customerId: req.user.id }, 'checkout failed');
    next(err);
  } finally {
    client.release();
  }
});

// Order history, keyset-paginated
router.get('/orders', requireAuth, async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit) || 20, 100);
  try {
    const { rows } = await pool.query(
      `SELECT id, status, total_cents, created_at
         FROM orders
        WHERE customer_id = $1 AND ($2::bigint IS NULL OR id < $2)
        ORDER BY id DESC
        LIMIT $3`,
      [req.user.id, req.query.cursor || null, limit]
    );
    res.json({ orders: rows, nextCursor: rows.length === limit ? rows[rows.length - 1].id : null });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
