/**
 * Stripe webhook handler for the coffee subscription service.
 *
 * Here's a production-ready endpoint that:
 *  - verifies the Stripe signature using the raw request body
 *  - creates the next box shipment when an invoice is paid
 *  - asks the partner roaster to allocate beans for that box
 *  - pauses the subscription when a payment fails
 *
 * Mount it BEFORE express.json() so the raw body is preserved.
 */
const express = require('express');
const Stripe = require('stripe');
const { pool } = require('../db');
const logger = require('../logger');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const ROASTER_API = process.env.ROASTER_API_URL; // e.g. https://api.ridgeline-roasters.com/v2

const router = express.Router();

/**
 * Ask the roaster to set aside beans for a box.
 * @param {object} shipment - row from box_shipments
 */
async function requestBeanAllocation(shipment) {
  const response = await fetch(`${ROASTER_API}/allocations`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${process.env.ROASTER_API_KEY}`,
    },
    body: JSON.stringify({
      reference: shipment.id,
      blend: shipment.blend_code,
      grams: shipment.grams,
      grind: shipment.grind,
    }),
  });
  if (!response.ok) {
    throw new Error(`Roaster allocation failed: ${response.status}`);
  }
  return response.json();
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
    logger.warn({ err }, 'Invalid Stripe signature');
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  try {
    switch (event.type) {
      case 'invoice.paid': {
        const invoice = event.data.object;
        const { rows } = await pool.query(
          `INSERT INTO box_shipments (subscription_id, blend_code, grams, grind, status)
           SELECT s.id, s.blend_code, s.grams, s.grind, 'pending'
             FROM subscriptions s
            WHERE s.stripe_subscription_id = $1
           RETURNING *`,
          [invoice.subscription]
        );
        await pool.query(
          'UPDATE subscriptions SET boxes_paid = boxes_paid + 1 WHERE stripe_subscription_id = $1',
          [invoice.subscription]
        );
        if (rows[0]) await requestBeanAllocation(rows[0]);
        break;
      }
      case 'invoice.payment_failed': {
        const invoice = event.data.object;
        await pool.query(
          "UPDATE subscriptions SET status = 'paused' WHERE stripe_subscription_id = $1",
          [invoice.subscription]
        );
        break;
      }
      default:
        logger.debug({ type: event.type }, 'Unhandled Stripe event');
    }
    res.json({ received: true });
  } catch (err) {
    logger.error({ err, eventId: event.id }, 'Failed to process Stripe event');
    res.status(500).json({ error: 'processing failed' });
  }
});

module.exports = router;
