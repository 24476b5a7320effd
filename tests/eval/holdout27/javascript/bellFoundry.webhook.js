// webhooks/payments.js
// Deposit payments for bell casting orders come in from the payment provider.
// When the deposit clears we move the order into the casting queue and email the parish.

const express = require('express');
const crypto = require('crypto');
const db = require('../db/knex');
const mailer = require('../mail/transport'); // nodemailer SMTP transport, pooled
const logger = require('../logger');

const router = express.Router();

function verifySignature(rawBody, header) {
  if (!header) return false;
  const [tsPart, sigPart] = header.split(',');
  const timestamp = tsPart.replace('t=', '');
  const expected = crypto
    .createHmac('sha256', process.env.PAYMENTS_WEBHOOK_SECRET)
    .update(`${timestamp}.${rawBody}`)
    .digest('hex');
  const given = Buffer.from(sigPart.replace('v1=', ''), 'hex');
  const want = Buffer.from(expected, 'hex');
  return given.length === want.length && crypto.timingSafeEqual(given, want);
}

async function emailParish(order) {
  await mailer.sendMail({
    to: order.contact_email,
    subject: `Deposit received — ${order.bell_name} (${order.weight_kg} kg)`,
    text:
      `Thank you. Your ${order.alloy} bell is now in the casting queue.\n` +
      `We will be in touch before the mould is made up.`,
  });
}

router.post('/webhooks/payments', express.raw({ type: 'application/json' }), async (req, res) => {
  if (!verifySignature(req.body.toString('utf8'), req.get('x-pay-signature'))) {
    return res.status(400).send('bad signature');
  }

  const event = JSON.parse(req.body.toString('utf8'));
  if (event.type !== 'payment_intent.succeeded') {
    return res.status(200).send('ignored');
  }

  const orderId = event.data.object.metadata.casting_order_id;
  const amountPence = event.data.object.amount_received;

  try {
    const order = await db.transaction(async (trx) => {
      await trx('casting_payments').insert({
        order_id: orderId,
        amount_pence: amountPence,
        provider_ref: event.data.object.id,
        received_at: new Date(),
      });

      await trx('casting_orders')
        .where({ id: orderId })
        .increment('paid_pence', amountPence);

      // queue order is by queued_at; the casting floor schedule reads it from there
      const [updated] = await trx('casting_orders')
        .where({ id: orderId })
        .update({ status: 'queued', queued_at: trx.fn.now() })
        .returning(['id', 'bell_name', 'weight_kg', 'contact_email', 'alloy']);
      return updated;
    });

    try {
      await emailParish(order);
    } catch (mailErr) {
      // the parish can also see the queue position on the order page
    }

    res.status(200).json({ received: true });
  } catch (err) {
    logger.error({ err, orderId }, 'failed to apply casting deposit');
    res.status(500).send('retry later');
  }
});

module.exports = router;
