// server/webhooks/pitchPayments.js
// Vintage tractor rally: exhibitors pay their pitch fee through Stripe Checkout.
// When the payment lands we mark the pitch paid, write the ledger line for the
// treasurer and tell the stewards' allocation system so the pitch shows on the field plan.
const express = require('express');
const Stripe = require('stripe');
const axios = require('axios');
const { db } = require('../db');
const log = require('../log');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const endpointSecret = process.env.STRIPE_WEBHOOK_SECRET;
const STEWARDS_API = process.env.STEWARDS_API_URL; // e.g. https://stewards.rally-field.org.uk/api

const router = express.Router();

async function recordPitchPayment({ pitchId, exhibitorId, amountPence, sessionId }) {
  await db.query(
    `UPDATE rally_pitches
        SET status = 'paid', paid_at = now(), checkout_session_id = $2
      WHERE id = $1`,
    [pitchId, sessionId]
  );

  await db.query(
    `INSERT INTO exhibitor_ledger (exhibitor_id, pitch_id, amount_pence, entry_type, note)
     VALUES ($1, $2, $3, 'pitch_fee', 'Stripe checkout')`,
    [exhibitorId, pitchId, amountPence]
  );

  const { rows } = await db.query(
    `SELECT p.code, p.zone, p.width_m, e.display_name, e.tractor_make, e.tractor_year
       FROM rally_pitches p JOIN exhibitors e ON e.id = p.exhibitor_id
      WHERE p.id = $1`,
    [pitchId]
  );
  return rows[0];
}

router.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
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
  const pitchId = Number(session.metadata.pitch_id);
  const exhibitorId = Number(session.metadata.exhibitor_id);

  try {
    const pitch = await recordPitchPayment({
      pitchId,
      exhibitorId,
      amountPence: session.amount_total,
      sessionId: session.id,
    });

    await axios.post(`${STEWARDS_API}/allocations`, {
      pitch: pitch.code,
      zone: pitch.zone,
      widthMetres: pitch.width_m,
      exhibitor: pitch.display_name,
      exhibit: `${pitch.tractor_year} ${pitch.tractor_make}`,
    }, {
      headers: { Authorization: `Bearer ${process.env.STEWARDS_API_TOKEN}` },
    });

    log.info({ pitchId, exhibitorId, eventId: event.id }, 'pitch fee recorded');
    res.json({ received: true });
  } catch (err) {
    log.error({ err, eventId: event.id }, 'pitch payment handling failed');
    // 500 makes Stripe redeliver the event later
    res.status(500).json({ received: false });
  }
});

module.exports = router;
