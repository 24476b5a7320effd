#!/usr/bin/env node
// scripts/importSlips.js
// One-off / nightly import of the harbourmaster's slip spreadsheet export.
//   usage: node scripts/importSlips.js ./exports/slips-2024-05.csv --marina=7
// Runs from the ops box's crontab, one process, exits when done.
'use strict';

const fs = require('fs');
const { parse } = require('csv-parse');
const { Client } = require('pg');

const BATCH = 500;

const args = Object.fromEntries(
  process.argv.slice(3).map((a) => a.replace(/^--/, '').split('='))
);
const file = process.argv[2];
const marinaId = Number(args.marina);
if (!file || !marinaId) {
  console.error('usage: importSlips.js <file.csv> --marina=<id>');
  process.exit(2);
}

async function main() {
  const client = new Client({ connectionString: process.env.DATABASE_URL, statement_timeout: 60000 });
  await client.connect();

  // dock letter -> dock id; tiny table, loaded once for the life of the script
  const docks = new Map();
  const { rows: dockRows } = await client.query('SELECT id, letter FROM docks WHERE marina_id = $1', [marinaId]);
  for (const d of dockRows) docks.set(d.letter, d.id);

  const parser = fs.createReadStream(file).pipe(parse({ columns: true, trim: true }));
  let batch = [];
  let total = 0;

  const flush = async () => {
    if (!batch.length) return;
    await client.query(
      `INSERT INTO slips (marina_id, dock_id, slip_code, length_ft, beam_ft, has_power, has_water)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::numeric[], $5::numeric[], $6::bool[], $7::bool[])
       ON CONFLICT (marina_id, slip_code) DO UPDATE
         SET dock_id = EXCLUDED.dock_id, length_ft = EXCLUDED.length_ft, beam_ft = EXCLUDED.beam_ft,
             has_power = EXCLUDED.has_power, has_water = EXCLUDED.has_water`,
      [
        marinaId,
        batch.map((r) => r.dockId),
        batch.map((r) => r.code),
        batch.map((r) => r.length),
        batch.map((r) => r.beam),
        batch.map((r) => r.power),
        batch.map((r) => r.water),
      ]
    );
    total += batch.length;
    batch = [];
  };

  for await (const row of parser) {
    const dockId = docks.get(row.Dock);
    if (!dockId) {
      console.warn(`skipping ${row.Slip}: unknown dock ${row.Dock}`);
      continue;
    }
    batch.push({
      dockId,
      code: `${row.Dock}-${row.Slip}`,
      length: Number(row['Length (ft)']),
      beam: Number(row['Beam (ft)']),
      power: row.Power === 'Y',
      water: row.Water === 'Y',
    });
    if (batch.length >= BATCH) await flush();
  }
  await flush();

  console.log(`imported ${total} slips for marina ${marinaId}`);
  await client.end();
}

main().catch((err) => {
  console.error('import failed:', err);
  process.exit(1);
});
