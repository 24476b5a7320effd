// stripe hooks - invoicing app
// TODO(mk): move plan limits into db

var express = require('express');
var stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
var db = require('../lib/knex');
var mailer = require('../lib/mailer');

var router = express.Router();

router.post('/hooks/stripe', express.raw({ type: 'application/json' }), async function (req, res) {
  var event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WH_SECRET);
  } catch (e) {
    return res.status(400).send('bad sig');
  }

  var obj = event.data.object;

  if (event.type === 'invoice.paid') {
    var acct = await db('accounts').where({ stripe_customer_id: obj.customer }).first();
    await db('accounts')
      .where({ id: acct.id })
      .update({ credits: acct.credits + Number(obj.metadata.credits || 0), paid_through: new Date(obj.period_end * 1000) });
    await db('payments').insert({
      account_id: acct.id,
      stripe_invoice_id: obj.id,
      amount_cents: obj.amount_paid,
      paid_at: new Date(),
    });
    try {
      await mailer.send(acct.billing_email, 'receipt', { amount: obj.amount_paid / 100 });
    } catch (e) {}
  }

  if (event.type === 'customer.subscription.deleted') {
    await db('accounts').where({ stripe_customer_id: obj.customer }).update({ plan: 'free' });
  }

  res.json({ received: true });
});

module.exports = router;
