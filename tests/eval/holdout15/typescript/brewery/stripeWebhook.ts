// src/routes/stripeWebhook.ts
// Distributor invoices are paid through Stripe; on payment we credit the distributor's
// account, release held orders and push the payment to the ERP (Ekos).
// Runs on Cloud Run (min 2 / max 10 instances).

import express, { Router } from 'express';
import Stripe from 'stripe';
import { pool } from '../db';
import { logger } from '../logger';
import { ekos } from '../integrations/ekos'; // axios instance, timeout: 5000
import { mailer } from '../mailer';

const stripe = new Stripe(process.env.STRIPE_KEY as string, { apiVersion: '2024-06-20', timeout: 10000 });
export const stripeWebhook = Router();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pushPaymentToErp(invoiceNo: string, amountCents: number): Promise<void> {
  let attempt = 0;
  while (true) {
    try {
      await ekos.post('/payments', { invoice: invoiceNo, amount: amountCents / 100 });
      return;
    } catch (err) {
      attempt++;
      logger.warn({ err, invoiceNo, attempt }, 'ekos payment push failed, retrying');
      await sleep(1000);
    }
  }
}

stripeWebhook.post('/stripe/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.header('stripe-signature')!, process.env.STRIPE_WHSEC!);
  } catch (err) {
    logger.warn({ err }, 'stripe signature check failed');
    return res.status(400).send('bad signature');
  }

  if (event.type !== 'invoice.paid') return res.json({ ignored: true });

  const invoice = event.data.object as Stripe.Invoice;
  const distributorId = Number(invoice.metadata?.distributor_id);

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      'UPDATE distributors SET credit_cents = credit_cents + $1, updated_at = now() WHERE id = $2',
      [invoice.amount_paid, distributorId],
    );
    await client.query(
      `UPDATE orders SET status = 'released' WHERE distributor_id = $1 AND status = 'payment_hold'`,
      [distributorId],
    );
    await client.query(
      'INSERT INTO payments (distributor_id, stripe_invoice_id, amount_cents) VALUES ($1, $2, $3)',
      [distributorId, invoice.id, invoice.amount_paid],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    logger.error({ err, eventId: event.id }, 'failed to apply invoice payment');
    return res.status(500).end();
  } finally {
    client.release();
  }

  await pushPaymentToErp(invoice.number ?? invoice.id, invoice.amount_paid);

  try {
    await mailer.send({
      to: invoice.customer_email!,
      template: 'payment-received',
      vars: { invoice: invoice.number, amount: (invoice.amount_paid / 100).toFixed(2) },
    });
  } catch (e) {}

  res.json({ received: true });
});
