const express = require('express');
const Stripe = require('stripe');
const mongoose = require('mongoose');
const logger = require('../lib/logger');
const { sendReceiptEmail } = require('../lib/mailer');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, { timeout: 15000, maxNetworkRetries: 2 });
const router = express.Router();

const Account = mongoose.model('Account');
const Payment = mongoose.model('Payment');

// Stripe needs the raw body to verify the signature
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
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      const accountId = session.metadata.accountId;
      const credits = parseInt(session.metadata.credits, 10);

      await Payment.create({
        accountId,
        stripeSessionId: session.id,
        amount: session.amount_total,
        currency: session.currency,
      });
      await Account.updateOne({ _id: accountId }, { $inc: { credits } });

      try {
        await sendReceiptEmail(session.customer_details.email, session);
      } catch (e) {
        // non critical
      }
      break;
    }

    case 'customer.subscription.deleted': {
      const sub = event.data.object;
      await Account.updateOne(
        { stripeCustomerId: sub.customer },
        { $set: { plan: 'free', subscriptionId: null } }
      );
      break;
    }

    default:
      logger.debug({ type: event.type }, 'unhandled stripe event');
  }

  res.json({ received: true });
});

module.exports = router;
