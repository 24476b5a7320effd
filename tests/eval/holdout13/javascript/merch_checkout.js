// api/checkout.js — tour merch checkout (Express + Sequelize)
// 4 pods behind nginx; anything shared lives in Postgres or Redis.
const express = require('express');
const axios = require('axios');
const Redis = require('ioredis');
const { Op } = require('sequelize');
const { sequelize, Variant, Order, OrderItem } = require('../models');
const log = require('../log');

const router = express.Router();
const redis = new Redis(process.env.REDIS_URL);

// payment gateway client — timeouts live on the instance, every call inherits them
const payments = axios.create({
  baseURL: process.env.PAYMENTS_URL,
  timeout: 8000,
  headers: { 'X-Api-Key': process.env.PAYMENTS_KEY },
});

const MAX_QTY_PER_ITEM = 4; // scalper limit
const MAX_LINES = 10;      // cart UI caps distinct items too

async function reserveItems(items, t) {
  for (const { variantId, qty } of items) {
    const [affected] = await Variant.update(
      { stock: sequelize.literal(`stock - ${qty}`) },
      { where: { id: variantId, stock: { [Op.gte]: qty } }, transaction: t }
    );
    if (affected === 0) {
      const err = new Error(`variant ${variantId} sold out`);
      err.status = 409;
      throw err;
    }
  }
}

router.post('/checkout', async (req, res, next) => {
  const idemKey = req.get('Idempotency-Key');
  if (!idemKey) return res.status(400).json({ error: 'Idempotency-Key header required' });

  const items = (req.body.items || []).map((i) => ({ variantId: i.variantId, qty: Number(i.qty) }));
  if (!items.length || items.length > MAX_LINES || items.some((i) => !Number.isInteger(i.qty) || i.qty < 1 || i.qty > MAX_QTY_PER_ITEM)) {
    return res.status(400).json({ error: 'invalid items' });
  }

  // first request with this key wins; retries get the stored result
  const claimed = await redis.set(`checkout:${idemKey}`, 'pending', 'EX', 86400, 'NX');
  if (!claimed) {
    const prev = await redis.get(`checkout:${idemKey}`);
    if (prev && prev !== 'pending') return res.status(200).json(JSON.parse(prev));
    return res.status(409).json({ error: 'checkout already in progress' });
  }

  const t = await sequelize.transaction();
  try {
    await reserveItems(items, t);
    const variants = await Variant.findAll({
      where: { id: items.map((i) => i.variantId) },
      attributes: ['id', 'priceCents'],
      transaction: t,
    });
    const price = new Map(variants.map((v) => [v.id, v.priceCents]));
    const totalCents = items.reduce((sum, i) => sum + price.get(i.variantId) * i.qty, 0);

    const order = await Order.create(
      { email: req.body.email, totalCents, status: 'pending_payment', idempotencyKey: idemKey },
      { transaction: t }
    );
    await OrderItem.bulkCreate(
      items.map((i) => ({ orderId: order.id, variantId: i.variantId, qty: i.qty, unitCents: price.get(i.variantId) })),
      { transaction: t }
    );

    const { data: charge } = await payments.post('/charges', {
      amount: totalCents,
      currency: 'usd',
      source: req.body.paymentToken,
      idempotency_key: idemKey,
    });
    await order.update({ status: 'paid', chargeId: charge.id }, { transaction: t });
    await t.commit();

    const result = { orderId: order.id, totalCents };
    await redis.set(`checkout:${idemKey}`, JSON.stringify(result), 'EX', 86400);
    res.status(201).json(result);
  } catch (err) {
    await t.rollback();
    await redis.del(`checkout:${idemKey}`);
    log.error({ err, idemKey }, 'checkout failed');
    next(err);
  }
});

module.exports = router;
