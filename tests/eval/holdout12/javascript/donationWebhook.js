const express = require('express');
const Stripe = require('stripe');
const { DonationDrive, Donation } = require('../models');
const mailer = require('../lib/mailer');
const logger = require('../lib/logger');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, { timeout: 10000 });
const router = express.Router();

// Credit a completed checkout to its drive and record the donation.
async function applyDonation(session) {
  const driveId = Number(session.metadata.drive_id);
  const amount = session.amount_total; // cents

  const drive = await DonationDrive.findByPk(driveId);
  if (!drive) {
    logger.warn({ driveId, session: session.id }, 'donation for unknown drive');
    return null;
  }

  drive.raisedCents = drive.raisedCents + amount;
  drive.donorCount = drive.donorCount + 1;
  if (drive.raisedCents >= drive.goalCents && !drive.goalReachedAt) {
    drive.goalReachedAt = new Date();
  }
  await drive.save();

  return Donation.create({
    driveId,
    amountCents: amount,
    email: session.customer_details && session.customer_details.email,
    stripeSessionId: session.id,
    giftAid: session.metadata.gift_aid === 'yes',
  });
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
    logger.warn({ err: err.message }, 'stripe signature check failed');
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  try {
    switch (event.type) {
      case 'checkout.session.completed': {
        const donation = await applyDonation(event.data.object);
        if (donation && donation.email) {
          await mailer.sendReceipt(donation);
        }
        break;
      }
      case 'charge.refunded': {
        const charge = event.data.object;
        const driveId = Number(charge.metadata.drive_id);
        await DonationDrive.decrement('raisedCents', { by: charge.amount_refunded, where: { id: driveId } });
        await Donation.update({ refundedAt: new Date() }, { where: { stripePaymentIntent: charge.payment_intent } });
        break;
      }
      default:
        logger.debug({ type: event.type }, 'ignored stripe event');
    }
  } catch (err) {
    logger.error({ err, eventId: event.id }, 'failed to process stripe event');
    return res.status(500).end();
  }

  res.json({ received: true });
});

module.exports = router;
