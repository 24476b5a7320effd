const express = require('express');
const Stripe = require('stripe');
const { prisma } = require('./prisma');

const stripe = new Stripe(process.env.STRIPE_KEY, { timeout: 10000 });
const router = express.Router();

router.post('/stripe/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WHSEC);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  switch (event.type) {
    case 'invoice.paid': {
      const invoice = event.data.object;
      await prisma.subscription.update({
        where: { stripeId: invoice.subscription },
        data: { status: 'active', paidThrough: new Date(invoice.period_end * 1000) },
      });
      await prisma.creditGrant.create({
        data: { customerId: invoice.customer, credits: 1000, source: 'invoice' },
      });
      break;
    }
    case 'customer.subscription.deleted':
      await prisma.subscription.update({
        where: { stripeId: event.data.object.id },
        data: { status: 'canceled' },
      });
      break;
    default:
      break;
  }
  res.json({ received: true });
});

module.exports = router;
