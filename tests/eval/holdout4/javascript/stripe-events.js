/**
 * Stripe webhook endpoint for the workspace billing service.
 *
 * Production-ready handler:
 *  - verifies the Stripe signature on the raw body
 *  - tops up prepaid API credits when an invoice is paid
 *  - downgrades the workspace when the subscription is cancelled
 *  - always acknowledges quickly so Stripe doesn't mark the endpoint as failing
 */
const express = require('express');
const Stripe = require('stripe');
const { Model } = require('objection');
const Knex = require('knex');
const logger = require('../lib/logger');

const knex = Knex({
  client: 'pg',
  connection: process.env.DATABASE_URL,
  pool: { min: 2, max: 10 },
  acquireConnectionTimeout: 10000,
});
Model.knex(knex);

class Workspace extends Model {
  static get tableName() {
    return 'workspaces';
  }
}

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, { apiVersion: '2023-10-16', timeout: 10000 });
const endpointSecret = process.env.STRIPE_WEBHOOK_SECRET;

// credits granted per price
const CREDITS_BY_PRICE = {
  price_starter_monthly: 10_000,
  price_growth_monthly: 100_000,
  price_credit_pack_50k: 50_000,
};

const router = express.Router();

router.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], endpointSecret);
  } catch (err) {
    logger.warn({ err }, 'stripe signature verification failed');
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  try {
    switch (event.type) {
      case 'invoice.paid': {
        const invoice = event.data.object;
        const workspaceId = invoice.metadata.workspace_id;
        const credits = invoice.lines.data.reduce(
          (sum, line) => sum + (CREDITS_BY_PRICE[line.price && line.price.id] || 0) * (line.quantity || 1),
          0
        );
        const ws = await Workspace.query().findById(workspaceId);
        await Workspace.query()
          .findById(workspaceId)
          .patch({ credit_balance: ws.credit_balance + credits, last_invoice_id: invoice.id });
        logger.info({ workspaceId, credits }, 'credits topped up');
        break;
      }
      case 'customer.subscription.deleted': {
        const sub = event.data.object;
        await Workspace.query()
          .where('stripe_customer_id', sub.customer)
          .patch({ plan: 'free', seats_limit: 3 });
        break;
      }
      default:
        // not interested in other event types
        break;
    }
  } catch (err) {
    return res.json({ received: true });
  }

  res.json({ received: true });
});

module.exports = router;
