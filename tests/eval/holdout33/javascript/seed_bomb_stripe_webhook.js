// webhooks/stripe.js
// Stripe webhook for the wildflower seed bomb shop. When a checkout completes we
// mark the order paid, take the seed bombs out of stock and put the order on the
// packing queue for the Saturday volunteers.
const express = require('express');
const Stripe = require('stripe');
const knex = require('../db/knex');
const logger = require('../lib/logger');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, {
  apiVersion: '2023-10-16',
  timeout: 10000,
  maxNetworkRetries: 2,
});

const router = express.Router();

async function handleStripeWebhook(req, res) {
  let event;
  try {
    event = stripe.webhooks.constructEvent(
      req.body,
      req.headers['stripe-signature'],
      process.env.STRIPE_WEBHOOK_SECRET
    );
  } catch (err) {
    logger.warn({ err: err.message }, 'stripe signature verification failed');
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  if (event.type !== 'checkout.session.completed') {
    return res.json({ received: true });
  }

  const session = event.data.object;
  const orderId = Number(session.metadata.order_id);

  try {
    await knex.transaction(async (trx) => {
      const order = await trx('seed_bomb_orders')
        .where({ id: orderId })
        .first('id', 'mix_id', 'quantity', 'customer_email');

      if (!order) {
        throw new Error(`order ${orderId} not found for session ${session.id}`);
      }

      await trx('seed_bomb_orders')
        .where({ id: order.id })
        .update({ status: 'paid', paid_at: trx.fn.now(), stripe_session_id: session.id });

      // Each mix (e.g. "Chalk downland", "Bee border") is made in batches of 50.
      const mix = await trx('seed_mixes').where({ id: order.mix_id }).first('id', 'stock_count');
      const remaining = mix.stock_count - order.quantity;

      await trx('seed_mixes')
        .where({ id: mix.id })
        .update({ stock_count: remaining, updated_at: trx.fn.now() });

      if (remaining < 50) {
        await trx('batch_requests').insert({ mix_id: mix.id, requested_at: trx.fn.now() });
      }

      await trx('packing_queue').insert({
        order_id: order.id,
        mix_id: order.mix_id,
        quantity: order.quantity,
        ship_to_email: order.customer_email,
      });
    });
  } catch (err) {
    logger.error({ err, eventId: event.id }, 'failed to apply checkout.session.completed');
    return res.status(500).json({ error: 'processing failed' });
  }

  logger.info({ eventId: event.id, orderId }, 'seed bomb order paid');
  return res.json({ received: true });
}

router.post('/webhooks/stripe', express.raw({ type: 'application/json' }), handleStripeWebhook);

module.exports = router;
