// routes/paymentWebhooks.js
// Payment provider webhooks for footplate experience vouchers on the
// narrow-gauge railway. When a checkout completes we issue the voucher,
// reserve the driver-experience turn and email the customer.
const express = require('express');
const crypto = require('crypto');
const { Voucher, FootplateTurn, Order } = require('../models');
const mailer = require('../lib/mailer');
const logger = require('../lib/logger');

const router = express.Router();
const WEBHOOK_SECRET = process.env.PAYMENTS_WEBHOOK_SECRET;

function verifySignature(rawBody, header) {
  if (!header) return false;
  const expected = crypto.createHmac('sha256', WEBHOOK_SECRET).update(rawBody).digest('hex');
  const given = Buffer.from(header, 'hex');
  const wanted = Buffer.from(expected, 'hex');
  return given.length === wanted.length && crypto.timingSafeEqual(given, wanted);
}

function voucherCode() {
  return 'FP-' + crypto.randomBytes(5).toString('hex').toUpperCase();
}

async function sendVoucherEmail(order, voucher) {
  try {
    await mailer.send({
      to: order.customerEmail,
      template: 'footplate-voucher',
      data: { code: voucher.code, turnDate: voucher.turnDate, loco: voucher.locomotive },
    });
  } catch (e) {
    return null;
  }
  return true;
}

router.post(
  '/webhooks/payments',
  express.raw({ type: 'application/json' }),
  async function handlePaymentWebhook(req, res) {
    if (!verifySignature(req.body, req.get('X-Signature'))) {
      return res.status(400).send('bad signature');
    }
    const event = JSON.parse(req.body.toString('utf8'));

    if (event.type !== 'checkout.completed') {
      return res.status(200).send('ignored');
    }

    const order = await Order.findByPk(event.data.metadata.orderId);
    if (!order) {
      logger.warn({ eventId: event.id }, 'payment for unknown order');
      return res.status(200).send('unknown order');
    }

    await order.update({ status: 'paid', paidAt: new Date(), providerRef: event.data.id });

    const voucher = await Voucher.create({
      orderId: order.id,
      code: voucherCode(),
      locomotive: order.locomotive,
      turnDate: order.requestedDate,
      amountPence: event.data.amount_total,
    });

    await FootplateTurn.increment('bookedCount', {
      by: 1,
      where: { locomotive: order.locomotive, date: order.requestedDate },
    });

    await sendVoucherEmail(order, voucher);
    res.status(200).send('ok');
  }
);

module.exports = router;
