// Stripe webhook for the letterpress studio. Members buy "press hours"
// (time on the Albion or the Heidelberg windmill) through Stripe Checkout;
// when the checkout completes we credit the hours and send a confirmation.
const express = require('express');
const Stripe = require('stripe');
const axios = require('axios');
const { pool } = require('./db');
const log = require('./logger');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const endpointSecret = process.env.STRIPE_WEBHOOK_SECRET;

const PRESS_LABELS = {
  albion: 'Albion hand press',
  windmill: 'Heidelberg windmill platen',
  vandercook: 'Vandercook proof press',
};

async function sendConfirmation(member, hours, press) {
  await axios.post(
    'https://api.postmarkapp.com/email/withTemplate',
    {
      From: 'studio@inkandtype.co.uk',
      To: member.email,
      TemplateAlias: 'press-hours-purchased',
      TemplateModel: {
        name: member.first_name,
        hours,
        press: PRESS_LABELS[press] || press,
      },
    },
    { headers: { 'X-Postmark-Server-Token': process.env.POSTMARK_TOKEN } }
  );
}

async function handleStudioWebhook(req, res) {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], endpointSecret);
  } catch (err) {
    log.warn({ err }, 'stripe signature check failed');
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  if (event.type !== 'checkout.session.completed') {
    return res.json({ received: true, ignored: event.type });
  }

  const session = event.data.object;
  const memberId = Number(session.metadata.member_id);
  const hours = Number(session.metadata.hours);
  const press = session.metadata.press;

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      `UPDATE members
          SET press_hours = press_hours + $1
        WHERE id = $2
      RETURNING id, email, first_name, press_hours`,
      [hours, memberId]
    );
    await client.query(
      `INSERT INTO press_hour_purchases (member_id, press, hours, amount_pence, stripe_session_id)
       VALUES ($1, $2, $3, $4, $5)`,
      [memberId, press, hours, session.amount_total, session.id]
    );
    await client.query('COMMIT');

    await sendConfirmation(rows[0], hours, press);
    log.info({ memberId, hours, press }, 'press hours credited');
    res.json({ received: true });
  } catch (err) {
    await client.query('ROLLBACK');
    log.error({ err, eventId: event.id }, 'failed to credit press hours');
    res.status(500).json({ error: 'processing failed' });
  } finally {
    client.release();
  }
}

const app = express();
// Stripe needs the raw body for signature verification.
app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), handleStudioWebhook);
app.use(express.json());

module.exports = app;
