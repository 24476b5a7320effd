// Good catch — Stripe delivers webhooks *at least once*, so the same
// `checkout.session.completed` can arrive twice and you'd grant two licenses.
// Here's the fixed handler. Changes:
//   1. record event.id in `stripe_events` (PRIMARY KEY) inside the same transaction
//      as the license grant, and skip if it's already there
//   2. don't swallow errors: log and return 500 so Stripe retries
//   3. Stripe client and pg pool are created once, with timeouts
const express = require('express');
const Stripe = require('stripe');
const { Pool } = require('pg');
const logger = require('./logger');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, { timeout: 10_000, maxNetworkRetries: 2 });
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 5_000,
  statement_timeout: 10_000,
});

const app = express();

app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    logger.warn({ err }, 'stripe signature verification failed');
    return res.status(400).send('bad signature');
  }

  if (event.type !== 'checkout.session.completed') {
    return res.json({ received: true, ignored: event.type });
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

    const session = event.data.object;
    const { photoId, licenseTier, customerId } = session.metadata;
    await client.query(
      `INSERT INTO photo_licenses (photo_id, customer_id, tier, stripe_session_id, granted_at)
       VALUES ($1, $2, $3, $4, now())`,
      [photoId, customerId, licenseTier, session.id]
    );
    await client.query(
      'UPDATE photos SET license_count = license_count + 1 WHERE id = $1',
      [photoId]
    );
    await client.query('COMMIT');
    res.json({ received: true });
  } catch (err) {
    await client.query('ROLLBACK').catch((e) => logger.error({ err: e }, 'rollback failed'));
    logger.error({ err, eventId: event.id }, 'failed to process stripe event');
    res.status(500).json({ error: 'processing failed' }); // Stripe will retry
  } finally {
    client.release();
  }
});

module.exports = app;
