/**
 * Stripe webhook for helpdesk workspace subscriptions.
 *
 * Stripe delivers at-least-once, so every event is recorded in
 * `stripe_events` (primary key = event id) inside the same transaction
 * that applies its effects. A redelivered event hits the conflict and
 * is acknowledged without doing anything twice.
 */
const express = require('express');
const Stripe = require('stripe');
const { pool } = require('../db');
const logger = require('../logger');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, {
  apiVersion: '2024-06-20',
  timeout: 10000,
  maxNetworkRetries: 2,
});

const router = express.Router();

const SEAT_PLANS = {
  price_helpdesk_team: 5,
  price_helpdesk_business: 25,
};

async function applyEvent(client, event) {
  switch (event.type) {
    case 'customer.subscription.updated':
    case 'customer.subscription.created': {
      const sub = event.data.object;
      const priceId = sub.items.data[0].price.id;
      await client.query(
        `UPDATE workspaces
            SET plan_price_id = $1, agent_seats = $2, subscription_status = $3
          WHERE stripe_customer_id = $4`,
        [priceId, (SEAT_PLANS[priceId] || 1) * sub.items.data[0].quantity, sub.status, sub.customer]
      );
      break;
    }
    case 'customer.subscription.deleted': {
      const sub = event.data.object;
      await client.query(
        `UPDATE workspaces SET subscription_status = 'canceled', agent_seats = 1
          WHERE stripe_customer_id = $1`,
        [sub.customer]
      );
      break;
    }
    default:
      logger.debug({ type: event.type }, 'ignoring stripe event');
  }
}

router.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(
      req.body,
      req.headers['stripe-signature'],
      process.env.STRIPE_WEBHOOK_SECRET
    );
  } catch (err) {
    logger.warn({ err }, 'stripe signature verification failed');
    return res.status(400).send('bad signature');
  }

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const inserted = await client.query(
      `INSERT INTO stripe_events (id, type, received_at) VALUES ($1, $2, now())
       ON CONFLICT (id) DO NOTHING`,
      [event.id, event.type]
    );
    if (inserted.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(200).json({ received: true, duplicate: true });
    }
    await applyEvent(client, event);
    await client.query('COMMIT');
    return res.status(200).json({ received: true });
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    logger.error({ err, eventId: event.id }, 'failed to apply stripe event');
    // non-2xx makes Stripe retry with its own backoff
    return res.status(500).json({ received: false });
  } finally {
    client.release();
  }
});

module.exports = router;
