#!/usr/bin/env node
// scripts/import_meter_readings.js
// Nightly import of water meter reads exported by the AMR head-end.
// Runs once from cron on the ops box, single process:
//   node scripts/import_meter_readings.js /data/amr/reads-2024-05-01.csv
'use strict';

const fs = require('fs');
const readline = require('readline');
const { Pool } = require('pg');

const BATCH = 2000;
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2, statement_timeout: 60000 });

// serial -> meter id, filled as we go. Lives only for this run (~40k meters total).
const meterIds = new Map();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withRetry(fn, { attempts = 5, baseMs = 500, maxMs = 15000 } = {}) {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const transient = ['40001', '40P01', '57P01', 'ECONNRESET'].includes(err.code);
      if (!transient || i >= attempts) throw err;
      const delay = Math.min(maxMs, baseMs * 2 ** (i - 1));
      const jittered = Math.random() * delay;
      console.warn(`batch failed (${err.code}), retry ${i}/${attempts - 1} in ${Math.round(jittered)}ms`);
      await sleep(jittered);
    }
  }
}

async function resolveMeters(serials) {
  const missing = [...new Set(serials)].filter((s) => !meterIds.has(s));
  if (missing.length === 0) return;
  // one query per batch, not per row
  const { rows } = await pool.query('SELECT id, serial FROM meters WHERE serial = ANY($1::text[])', [missing]);
  for (const r of rows) meterIds.set(r.serial, r.id);
}

async function flush(batch) {
  await resolveMeters(batch.map((r) => r.serial));
  const known = batch.filter((r) => meterIds.has(r.serial));
  if (known.length < batch.length) console.warn(`${batch.length - known.length} reads for unknown meters skipped`);
  await withRetry(() =>
    pool.query(
      `INSERT INTO meter_readings (meter_id, read_at, register_m3)
       SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::numeric[])
       ON CONFLICT (meter_id, read_at) DO NOTHING`,
      [known.map((r) => meterIds.get(r.serial)), known.map((r) => r.readAt), known.map((r) => r.m3)]
    )
  );
  return known.length;
}

async function main(file) {
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let batch = [];
  let total = 0;
  let header = true;
  for await (const line of rl) {
    if (header) { header = false; continue; }
    const [serial, readAt, m3] = line.split(',');
    batch.push({ serial, readAt, m3 });
    if (batch.length === BATCH) {
      total += await flush(batch);
      batch = [];
    }
  }
  if (batch.length) total += await flush(batch);
  console.log(`imported ${total} reads from ${file}`);
}

main(process.argv[2])
  .catch((err) => {
    console.error('import failed', err);
    process.exitCode = 1;
  })
  .finally(() => pool.end());
