// routes/stripeWebhook.js -- marketplace payouts, credits seller balance when a checkout completes
const express = require('express');
const Stripe = require('stripe');
const db = require('../db'); // pg Pool

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const router = express.Router();

router.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  if (event.type === 'checkout.session.completed') {
    const session = event.data.object;
    const sellerId = session.metadata.seller_id;
    const net = session.amount_total - Number(session.metadata.platform_fee_cents);

    const { rows } = await db.query('SELECT pending_balance_cents FROM sellers WHERE id = $1', [sellerId]);
    const newBalance = rows[0].pending_balance_cents + net;
    await db.query('UPDATE sellers SET pending_balance_cents = $1 WHERE id = $2', [newBalance, sellerId]);
    await db.query(
      'INSERT INTO ledger_entries (seller_id, amount_cents, kind, ref) VALUES ($1, $2, $3, $4)',
      [sellerId, net, 'sale', session.id]
    );
  }

  res.json({ received: true });
