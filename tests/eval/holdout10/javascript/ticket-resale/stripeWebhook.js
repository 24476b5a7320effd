// routes/stripeWebhook.js
const express = require('express');
const Stripe = require('stripe');
const { Order, Listing, SellerAccount } = require('../models');
const mailer = require('../lib/mailer');

const stripe = Stripe(process.env.STRIPE_SECRET_KEY);
const router = express.Router();

router.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(
      req.body,
      req.headers['stripe-signature'],
      process.env.STRIPE_WEBHOOK_SECRET
    );
  } catch (err) {
    console.error('bad stripe signature', err.message);
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      const order = await Order.findByPk(session.metadata.orderId);
      if (!order) break;

      await order.update({ status: 'paid', paidAt: new Date(), stripeSessionId: session.id });
      await Listing.update({ status: 'sold' }, { where: { id: order.listingId } });
      await adjustSellerBalance(order.sellerId, order.payoutCents);

      try {
        await mailer.send('ticket-delivery', order.buyerEmail, {
          orderId: order.id,
          eventName: order.eventName,
          barcodeUrl: order.transferUrl,
        });
      } catch (e) {}
      break;
    }

    case 'charge.refunded': {
      const charge = event.data.object;
      const order = await Order.findOne({ where: { stripePaymentIntent: charge.payment_intent } });
      if (!order) break;

      await order.update({ status: 'refunded' });
      await Listing.update({ status: 'active' }, { where: { id: order.listingId } });
      await adjustSellerBalance(order.sellerId, -order.payoutCents);
      break;
    }

    default:
      // ignore everything else
      break;
  }

  res.json({ received: true });
});

async function adjustSellerBalance(sellerId, deltaCents) {
  const acct = await SellerAccount.findOne({ where: { userId: sellerId } });
  acct.balanceCents = acct.balanceCents + deltaCents;
  acct.lastMovementAt = new Date();
  await acct.save();
}

module.exports = router;
