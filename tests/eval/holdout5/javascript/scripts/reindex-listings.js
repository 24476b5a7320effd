#!/usr/bin/env node
// scripts/reindex-listings.js
// One-off: push every active rental listing into the search service.
// Usage: DATABASE_URL=... SEARCH_URL=... node scripts/reindex-listings.js [--since=2024-01-01]
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const SEARCH_URL = process.env.SEARCH_URL;
const BATCH_SIZE = 500;
const MAX_ATTEMPTS = 6;

// city_id -> display name; there are ~300 cities and this process exits when done
const cityNames = new Map();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function postWithRetry(path, body) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${SEARCH_URL}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      if (res.status < 500 && res.status !== 429) {
        if (!res.ok) throw new Error(`search service rejected batch: ${res.status} ${await res.text()}`);
        return;
      }
      throw Object.assign(new Error(`search service ${res.status}`), { retryable: true });
    } catch (err) {
      const retryable = err.retryable || err.name === 'TimeoutError' || err.code === 'ECONNRESET';
      if (!retryable || attempt >= MAX_ATTEMPTS) throw err;
      const backoff = Math.min(30_000, 500 * 2 ** attempt);
      const delay = Math.random() * backoff; // full jitter
      console.warn(`attempt ${attempt} failed (${err.message}), retrying in ${Math.round(delay)}ms`);
      await sleep(delay);
    }
  }
}

async function loadCityNames(ids) {
  const missing = ids.filter((id) => !cityNames.has(id));
  if (missing.length === 0) return;
  const { rows } = await pool.query('SELECT id, name FROM cities WHERE id = ANY($1::int[])', [missing]);
  for (const row of rows) cityNames.set(row.id, row.name);
}

async function main() {
  const sinceArg = process.argv.find((a) => a.startsWith('--since='));
  const since = sinceArg ? new Date(sinceArg.split('=')[1]) : new Date(0);
  let lastId = 0;
  let total = 0;

  for (;;) {
    const { rows } = await pool.query(
      `SELECT id, title, city_id, nightly_price_cents, bedrooms, updated_at
         FROM listings
        WHERE status = 'active' AND updated_at >= $1 AND id > $2
        ORDER BY id
        LIMIT $3`,
      [since, lastId, BATCH_SIZE]
    );
    if (rows.length === 0) break;

    await loadCityNames([...new Set(rows.map((r) => r.city_id))]);
    const docs = rows.map((r) => ({
      id: String(r.id),
      title: r.title,
      city: cityNames.get(r.city_id) || null,
      price: r.nightly_price_cents / 100,
      bedrooms: r.bedrooms,
      updatedAt: r.updated_at.toISOString(),
    }));
    await postWithRetry('/indexes/listings/documents:bulk', { documents: docs });

    lastId = rows[rows.length - 1].id;
    total += rows.length;
    console.log(`indexed ${total} listings (last id ${lastId})`);
  }
}

main()
  .catch((err) => {
    console.error('reindex failed:', err);
    process.exitCode = 1;
  })
  .finally(() => pool.end());
