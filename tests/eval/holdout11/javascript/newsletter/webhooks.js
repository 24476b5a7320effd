const express = require('express');
const Stripe = require('stripe');
const { Subscription, Payout, Publication } = require('../models');
const mailer = require('../lib/mailer');
const log = require('../lib/log');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, { timeout: 10000, maxNetworkRetries: 2 });
const router = express.Router();

// paid newsletters: readers pay the writer through Stripe, we keep 10%
router.post('/stripe/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(
      req.body,
      req.headers['stripe-signature'],
      process.env.STRIPE_WEBHOOK_SECRET
    );
  } catch (err) {
    log.warn('bad stripe signature', err.message);
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  try {
    switch (event.type) {
      case 'invoice.paid': {
        const invoice = event.data.object;
        const sub = await Subscription.findOne({ where: { stripeSubscriptionId: invoice.subscription } });
        if (!sub) break;
        await sub.update({
          status: 'active',
          currentPeriodEnd: new Date(invoice.lines.data[0].period.end * 1000),
        });
        await Payout.create({
          publicationId: sub.publicationId,
          invoiceId: invoice.id,
          amountCents: Math.round(invoice.amount_paid * 0.9),
        });
        await Publication.increment('paidIssuesSold', { where: { id: sub.publicationId } });
        await mailer.sendReceipt(sub.readerEmail, invoice);
        break;
      }
      case 'customer.subscription.deleted': {
        const s = event.data.object;
        await Subscription.update({ status: 'cancelled' }, { where: { stripeSubscriptionId: s.id } });
        break;
      }
      case 'charge.refunded': {
        const charge = event.data.object;
        await Payout.create({
          invoiceId: charge.invoice,
          amountCents: -Math.round(charge.amount_refunded * 0.9),
          reason: 'refund',
        });
        break;
      }
      default:
        break;
    }
  } catch (err) {
    // don't make stripe retry, it spams us
    return res.json({ received: true });
  }

  res.json({ received: true });
});

module.exports = router;
