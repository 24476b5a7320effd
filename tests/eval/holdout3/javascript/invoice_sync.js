// jobs/invoiceSync.js
// Nightly-ish job (runs every 15 min from the scheduler) that pushes new
// invoices to the accounting provider (Ledgerly) and stores their remote ids.

const axios = require('axios');
const knex = require('../db/knex');
const log = require('../log');

const ledgerly = axios.create({
  baseURL: process.env.LEDGERLY_URL || 'https://api.ledgerly.io/v2',
  headers: { Authorization: `Bearer ${process.env.LEDGERLY_TOKEN}` },
});

const MAX_ATTEMPTS = 5;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function pushInvoice(payload) {
  let attempt = 0;
  while (true) {
    try {
      const { data } = await ledgerly.post('/invoices', payload);
      return data;
    } catch (err) {
      attempt++;
      const status = err.response && err.response.status;
      if (status && status < 500 && status !== 429) throw err;
      log.warn(`ledgerly push failed (attempt ${attempt}), retrying`, status);
      await sleep(1000);
    }
  }
}

function toPayload(invoice, lines) {
  return {
    external_ref: invoice.number,
    customer: invoice.customer_ref,
    issued_at: invoice.issued_at,
    currency: invoice.currency,
    lines: lines.map((l) => ({
      description: l.description,
      quantity: l.quantity,
      unit_price: l.unit_price_cents / 100,
      tax_code: l.tax_code,
    })),
  };
}

async function run() {
  const invoices = await knex('invoices')
    .where({ status: 'finalized' })
    .whereNull('ledgerly_id')
    .orderBy('id')
    .limit(500);

  log.info(`syncing ${invoices.length} invoices`);

  for (const invoice of invoices) {
    const lines = await knex('invoice_lines').where({ invoice_id: invoice.id }).orderBy('position');

    const remote = await pushInvoice(toPayload(invoice, lines));

    await knex('invoices')
      .where({ id: invoice.id })
      .update({ ledgerly_id: remote.id, synced_at: knex.fn.now() });
  }
}

module.exports = { run, MAX_ATTEMPTS };
