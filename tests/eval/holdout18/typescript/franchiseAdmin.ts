// hq-admin/src/routes.ts -- franchise HQ admin API (escape rooms)
// deployed on Lambda behind API Gateway (29s integration timeout)
import express from 'express';
import Stripe from 'stripe';
import archiver from 'archiver';
import { db } from './db';
import { renderRoyaltyStatement } from './pdf/royaltyStatement';
import { accounting } from './accountingClient';
import { requireHqStaff } from './auth';

const stripe = new Stripe(process.env.STRIPE_KEY as string, { apiVersion: '2023-10-16' });
export const app = express();

// ---- franchises ----------------------------------------------------------

app.get('/franchises', requireHqStaff, async (req, res) => {
  const page = Number(req.query.page ?? 1);
  const rows = await db('franchises')
    .select('id', 'city', 'owner_name', 'rooms_count', 'opened_on', 'royalty_balance_cents')
    .orderBy('city')
    .limit(50)
    .offset((page - 1) * 50);
  res.json(rows);
});

app.get('/franchises/:id', requireHqStaff, async (req, res) => {
  const f = await db('franchises').where({ id: req.params.id }).first();
  if (!f) return res.sendStatus(404);
  res.json(f);
});

// ---- royalty statements ----------------------------------------------------

// month-end: one PDF statement per franchise, zipped
app.get('/statements/:month.zip', requireHqStaff, async (req, res) => {
  const month = req.params.month; // 'YYYY-MM'
  const totals = await db('bookings')
    .select('franchise_id')
    .sum({ gross: 'amount_cents' })
    .count({ games: 'id' })
    .whereRaw("to_char(played_at, 'YYYY-MM') = ?", [month])
    .groupBy('franchise_id');
  const franchises = await db('franchises').select('id', 'city', 'owner_name', 'royalty_rate');
  const byId = new Map(totals.map((t: any) => [t.franchise_id, t]));

  res.setHeader('Content-Type', 'application/zip');
  res.setHeader('Content-Disposition', `attachment; filename="statements-${month}.zip"`);
  const zip = archiver('zip');
  zip.pipe(res);
  for (const f of franchises) {
    const pdf = await renderRoyaltyStatement(f, byId.get(f.id), month); // ~2-3s each, 140 locations
    zip.append(pdf, { name: `${f.city}-${month}.pdf` });
  }
  await zip.finalize();
});

// ---- accounting sync -------------------------------------------------------

async function pushInvoiceToAccounting(franchiseId: number, amountCents: number, ref: string) {
  try {
    const r = await accounting.post('/invoices', { contact: `FR-${franchiseId}`, amountCents, reference: ref });
    return r.data.id as string;
  } catch (e) {
    return null;
  }
}

app.post('/franchises/:id/invoices', requireHqStaff, express.json(), async (req, res) => {
  const amount = Number(req.body.amountCents);
  const [inv] = await db('royalty_invoices')
    .insert({ franchise_id: req.params.id, amount_cents: amount, status: 'open' })
    .returning('*');
  const externalId = await pushInvoiceToAccounting(Number(req.params.id), amount, `INV-${inv.id}`);
  await db('royalty_invoices').where({ id: inv.id }).update({ external_id: externalId });
  res.status(201).json({ ...inv, external_id: externalId });
});

// ---- stripe ------------------------------------------------------------------

app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, process.env.STRIPE_WHSEC as string);
  } catch (err) {
    console.error('bad stripe signature', err);
    return res.sendStatus(400);
  }

  if (event.type === 'invoice.paid') {
    const invoice = event.data.object as Stripe.Invoice;
    const franchiseId = Number(invoice.metadata?.franchise_id);
    await db.transaction(async (trx) => {
      await trx('royalty_payments').insert({
        franchise_id: franchiseId,
        amount_cents: invoice.amount_paid,
        stripe_invoice: invoice.id,
        paid_at: new Date(invoice.status_transitions.paid_at! * 1000),
      });
      await trx('franchises')
        .where({ id: franchiseId })
        .decrement('royalty_balance_cents', invoice.amount_paid);
    });
  }
  res.json({ received: true });
});
