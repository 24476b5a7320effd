#!/usr/bin/env node
// scripts/backfill-usd-amounts.js
//
// One-off CLI: fills payments.amount_usd_cents for historical rows.
// Run once from a bastion host:  node scripts/backfill-usd-amounts.js --batch 1000
// Single process, so the in-memory rate table below is fine.

const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const FX_URL = process.env.FX_URL || 'https://fx.internal/api/rates';

const batchSize = Number(process.argv[process.argv.indexOf('--batch') + 1]) || 1000;

// currency -> rate to USD (a few dozen currencies at most)
const rates = new Map();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function fetchRate(currency) {
  const maxAttempts = 5;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      const res = await fetch(`${FX_URL}/${currency}/USD`, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`fx ${currency}: HTTP ${res.status}`);
      const body = await res.json();
      return body.rate;
    } catch (err) {
      if (attempt === maxAttempts) throw err;
      const delay = Math.min(30000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      console.warn(`fx lookup failed for ${currency} (attempt ${attempt}): ${err.message}; retry in ${Math.round(delay)}ms`);
      await sleep(delay);
    }
  }
}

async function rateFor(currency) {
  if (currency === 'USD') return 1;
  if (!rates.has(currency)) rates.set(currency, await fetchRate(currency));
  return rates.get(currency);
}

async function main() {
  let lastId = 0;
  let total = 0;

  for (;;) {
    const { rows } = await pool.query(
      `SELECT id, amount_cents, currency FROM payments
        WHERE id > $1 AND amount_usd_cents IS NULL
        ORDER BY id LIMIT $2`,
      [lastId, batchSize]
    );
    if (rows.length === 0) break;

    const ids = [];
    const usd = [];
    for (const row of rows) {
      ids.push(row.id);
      usd.push(Math.round(row.amount_cents * (await rateFor(row.currency))));
    }

    await pool.query(
      `UPDATE payments p SET amount_usd_cents = v.usd
         FROM unnest($1::bigint[], $2::bigint[]) AS v(id, usd)
        WHERE p.id = v.id`,
      [ids, usd]
    );

    lastId = rows[rows.length - 1].id;
    total += rows.length;
    console.log(`updated ${total} rows (last id ${lastId})`);
  }
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => pool.end());
