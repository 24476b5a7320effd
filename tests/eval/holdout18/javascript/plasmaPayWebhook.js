// Stripe webhook for donor compensation payouts (plasma centres).
// Mounted BEFORE express.json() so we get the raw body for signature checks.
const express = require('express');
const Stripe = require('stripe');
const { Pool } = require('pg');
const logger = require('./logger');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, { timeout: 10_000, maxNetworkRetries: 2 });
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 8 });
const router = express.Router();

router.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(
      req.body,
      req.headers['stripe-signature'],
      process.env.STRIPE_WEBHOOK_SECRET
    );
  } catch (err) {
    logger.warn({ err: err.message }, 'stripe signature verification failed');
    return res.status(400).send('bad signature');
  }

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const seen = await client.query(
      'INSERT INTO stripe_events (event_id, type, received_at) VALUES ($1, $2, now()) ON CONFLICT (event_id) DO NOTHING',
      [event.id, event.type]
    );
    if (seen.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.json({ received: true, duplicate: true });
    }

    if (event.type === 'payout.paid' || event.type === 'transfer.reversed') {
      const obj = event.data.object;
      const donationId = obj.metadata && obj.metadata.donation_id;
      if (donationId) {
        const status = event.type === 'payout.paid' ? 'paid' : 'reversed';
        await client.query(
          'UPDATE donor_payouts SET status = $2, settled_at = now() WHERE donation_id = $1',
          [donationId, status]
        );
      }
    }

    await client.query('COMMIT');
    res.json({ received: true });
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    logger.error({ err, eventId: event.id }, 'failed to process stripe event');
    res.status(500).send('retry later'); // Stripe will redeliver
  } finally {
    client.release();
  }
});

module.exports = router;
