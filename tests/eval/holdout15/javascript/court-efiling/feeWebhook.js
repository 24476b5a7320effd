// efile-gateway/src/webhooks/stripeFees.js
//
// Stripe webhook for court filing fees. A filing is only released to the clerk's
// review queue once its fee PaymentIntent succeeds.
// Stripe retries deliveries (and sometimes sends the same event twice), so every
// event id is recorded in processed_webhook_events inside the same transaction
// as the side effects.

const express = require('express');
const Stripe = require('stripe');
const { pool } = require('../db'); // shared pg.Pool, created once
const logger = require('../logger');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, { timeout: 10_000, maxNetworkRetries: 2 });
const router = express.Router();

router.post('/webhooks/stripe/fees', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    logger.warn({ err }, 'bad stripe signature');
    return res.status(400).send('invalid signature');
  }

  if (event.type !== 'payment_intent.succeeded' && event.type !== 'payment_intent.payment_failed') {
    return res.status(200).json({ ignored: event.type });
  }

  const client = await pool.connect();
  try {
    await client.query('BEGIN');

    const seen = await client.query(
      'INSERT INTO processed_webhook_events (event_id, type) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING',
      [event.id, event.type]
    );
    if (seen.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(200).json({ duplicate: true });
    }

    const intent = event.data.object;
    const filingId = intent.metadata.filing_id;

    if (event.type === 'payment_intent.succeeded') {
      await client.query(
        `UPDATE filings SET fee_status = 'paid', status = 'pending_review', fee_paid_at = now()
          WHERE id = $1 AND fee_status <> 'paid'`,
        [filingId]
      );
      await client.query(
        'INSERT INTO filing_events (filing_id, kind, detail) VALUES ($1, $2, $3)',
        [filingId, 'fee_paid', JSON.stringify({ amount: intent.amount_received, pi: intent.id })]
      );
    } else {
      await client.query(
        `UPDATE filings SET fee_status = 'failed' WHERE id = $1 AND fee_status = 'pending'`,
        [filingId]
      );
    }

    await client.query('COMMIT');
    return res.status(200).json({ received: true });
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    logger.error({ err, eventId: event.id }, 'fee webhook failed');
    // non-2xx so Stripe redelivers
    return res.status(500).json({ error: 'processing failed' });
  } finally {
    client.release();
  }
});

module.exports = router;
