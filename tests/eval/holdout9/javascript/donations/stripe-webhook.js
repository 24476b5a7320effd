/**
 * Here's a production-ready Stripe webhook handler for the parish donations site.
 *
 * - Verifies the Stripe signature using the raw body
 * - Records the donation and updates the campaign total atomically
 * - Sends the tax receipt through our receipts microservice
 *
 * Uses a shared pg Pool so connections are reused across requests.
 */
const express = require('express');
const Stripe = require('stripe');
const { Pool } = require('pg');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = express();

app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(
      req.body,
      req.headers['stripe-signature'],
      process.env.STRIPE_WEBHOOK_SECRET
    );
  } catch (err) {
    console.error('Invalid Stripe signature', err.message);
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  if (event.type === 'checkout.session.completed') {
    const session = event.data.object;
    const campaignId = session.metadata.campaign_id;
    const amount = session.amount_total;

    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO donations (campaign_id, donor_email, amount_cents, stripe_session_id)
         VALUES ($1, $2, $3, $4)`,
        [campaignId, session.customer_details.email, amount, session.id]
      );
      // atomic increment - no read-modify-write race
      await client.query(
        'UPDATE campaigns SET raised_cents = raised_cents + $1 WHERE id = $2',
        [amount, campaignId]
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      console.error('Failed to record donation', err);
      return res.status(500).end();
    } finally {
      client.release();
    }

    // Send the tax receipt (receipts-svc renders the PDF and emails it)
    await fetch(`${process.env.RECEIPTS_URL}/receipts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: session.customer_details.email, amountCents: amount, campaignId }),
    });
  }

  res.json({ received: true });
});

app.listen(process.env.PORT || 3000);
