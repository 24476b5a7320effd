#!/usr/bin/env node
// scripts/estimate-yield.js
// One-off CLI for the sales team: reads leads.csv, asks the irradiance API for each
// roof and writes estimated kWh/year to leads-with-yield.csv.
// Usage: node scripts/estimate-yield.js leads.csv
const fs = require('fs');
const { parse } = require('csv-parse/sync');
const { stringify } = require('csv-stringify/sync');
const axios = require('axios');

const api = axios.create({
  baseURL: 'https://api.irradiance.example.com/v2',
  timeout: 10_000,
  headers: { Authorization: `Bearer ${process.env.IRRADIANCE_KEY}` },
});

// many leads share a postcode; memoise per run (process exits when the file is done)
const byPostcode = new Map();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function fetchIrradiance(postcode) {
  const maxAttempts = 5;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      const { data } = await api.get('/annual', { params: { postcode } });
      return data.kwhPerKwp;
    } catch (err) {
      const status = err.response && err.response.status;
      if (attempt === maxAttempts || (status && status < 500 && status !== 429)) throw err;
      const backoff = Math.min(30_000, 500 * 2 ** attempt);
      await sleep(backoff / 2 + Math.random() * (backoff / 2));
    }
  }
}

async function irradianceFor(postcode) {
  if (!byPostcode.has(postcode)) byPostcode.set(postcode, await fetchIrradiance(postcode));
  return byPostcode.get(postcode);
}

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: estimate-yield.js <leads.csv>');
    process.exit(2);
  }
  const leads = parse(fs.readFileSync(file), { columns: true });
  for (const lead of leads) {
    const kwhPerKwp = await irradianceFor(lead.postcode);
    lead.est_kwh_year = Math.round(kwhPerKwp * Number(lead.system_kwp) * 0.85);
  }
  fs.writeFileSync(file.replace(/\.csv$/, '-with-yield.csv'), stringify(leads, { header: true }));
  console.log(`done: ${leads.length} leads, ${byPostcode.size} postcodes`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
