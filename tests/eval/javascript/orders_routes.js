const express = require('express');
const db = require('../db'); // knex instance

const router = express.Router();

router.get('/orders', async (req, res) => {
  const page = Math.max(1, parseInt(req.query.page, 10) || 1);
  const orders = await db('orders')
    .where({ customer_id: req.user.id })
    .orderBy('created_at', 'desc')
    .limit(25)
    .offset((page - 1) * 25);

  for (const order of orders) {
    order.items = await db('order_items').where({ order_id: order.id });
  }
  res.json({ page, orders });
});

router.get('/orders/:id/summary', async (req, res) => {
  const order = await db('orders').where({ id: req.params.id, customer_id: req.user.id }).first();
  if (!order) return res.sendStatus(404);
  const items = await db('order_items').where({ order_id: order.id });
  const productIds = items.map((i) => i.product_id);
  const products = await db('products').whereIn('id', productIds);
  const byId = new Map(products.map((p) => [p.id, p]));
  res.json({
    ...order,
    items: items.map((i) => ({ ...i, product: byId.get(i.product_id) })),
  });
});

router.get('/admin/orders/export', async (req, res) => {
  const rows = await db('orders').select('id', 'customer_id', 'total', 'status', 'created_at');
  res.json(rows);
});

module.exports = router;
