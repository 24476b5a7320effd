#!/usr/bin/env node
// requote.js — one-off CLI: re-price a CSV of renewal applicants against the new
// 2025 rate filing and write the quotes to stdout as CSV.
//   usage: node requote.js rates/2025-filing.json renewals.csv > quotes.csv
'use strict';

const fs = require('fs');
const readline = require('readline');
const { LRUCache } = require('lru-cache');

const [ratesPath, applicantsPath] = process.argv.slice(2);
if (!ratesPath || !applicantsPath) {
  console.error('usage: requote.js <rates.json> <applicants.csv>');
  process.exit(2);
}

// Rate tables are loaded once here and only read afterwards.
const filing = JSON.parse(fs.readFileSync(ratesPath, 'utf8'));
const baseRateByTerritory = new Map(filing.territories.map((t) => [t.code, t.baseRate]));
const ageFactor = new Map(filing.ageBands.map((b) => [b.band, b.factor]));

// Many applicants share the same (territory, band, deductible) combination.
const factorCache = new LRUCache({ max: 5000 });

function bandFor(age) {
  if (age < 25) return '16-24';
  if (age < 40) return '25-39';
  if (age < 65) return '40-64';
  return '65+';
}

function combinedFactor(territory, band, deductible) {
  const key = `${territory}|${band}|${deductible}`;
  let f = factorCache.get(key);
  if (f === undefined) {
    const base = baseRateByTerritory.get(territory);
    if (base === undefined) throw new Error(`unknown territory ${territory}`);
    const deductibleCredit = filing.deductibleCredits[String(deductible)] ?? 1;
    f = base * (ageFactor.get(band) ?? 1) * deductibleCredit;
    factorCache.set(key, f);
  }
  return f;
}

async function main() {
  const rl = readline.createInterface({ input: fs.createReadStream(applicantsPath) });
  let header = null;
  let n = 0;
  process.stdout.write('policy_id,annual_premium\n');
  for await (const line of rl) {
    const cols = line.split(',');
    if (!header) { header = cols; continue; }
    const row = Object.fromEntries(header.map((h, i) => [h, cols[i]]));
    const premium = combinedFactor(row.territory, bandFor(Number(row.age)), Number(row.deductible));
    process.stdout.write(`${row.policy_id},${premium.toFixed(2)}\n`);
    n++;
  }
  console.error(`re-quoted ${n} policies`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
