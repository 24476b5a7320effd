const crypto = require('crypto');
const express = require('express');
const { pool } = require('./db');

const router = express.Router();

function verify(req) {
  const digest = crypto.createHmac('sha256', process.env.SHOPIFY_SECRET).update(req.body).digest('base64');
  return crypto.timingSafeEqual(Buffer.from(digest), Buffer.from(req.get('X-Shopify-Hmac-Sha256') || ''));
}

router.post('/webhooks/shopify/orders-create', express.raw({ type: '*/*' }), async (req, res) => {
  if (!verify(req)) return res.sendStatus(401);
  const webhookId = req.get('X-Shopify-Webhook-Id');
  const order = JSON.parse(req.body.toString('utf8'));
  const { rowCount } = await pool.query(
    'INSERT INTO processed_webhooks (webhook_id) VALUES ($1) ON CONFLICT DO NOTHING',
    [webhookId],
  );
  if (rowCount === 0) return res.sendStatus(200);
  await pool.query('INSERT INTO orders (shopify_id, total, email) VALUES ($1, $2, $3)', [
    order.id,
    order.total_price,
    order.email,
  ]);
  res.sendStatus(200);
});

module.exports = router;
