// jobs/syncRingingRecords.js
// Nightly job: push the week's wetland ringing records to the national
// ringing scheme's submission endpoint, then mark them as submitted.
// Run by cron on the reserve's small VM: `node jobs/syncRingingRecords.js`
'use strict';

const { Pool } = require('pg');
const logger = require('../lib/logger');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });

const SCHEME_URL = 'https://submissions.ringing-scheme.example.org/v1/records';
const MAX_ATTEMPTS = 5;

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function postBatch(records) {
  let attempt = 0;
  while (attempt < MAX_ATTEMPTS) {
    attempt += 1;
    try {
      const res = await fetch(SCHEME_URL, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Token ${process.env.RINGING_SCHEME_TOKEN}`,
        },
        body: JSON.stringify({ records }),
        signal: AbortSignal.timeout(20_000),
      });
      if (res.ok) return res.json();
      logger.warn({ status: res.status, attempt }, 'ringing scheme rejected batch');
    } catch (err) {
      logger.warn({ err, attempt }, 'ringing scheme request failed');
    }
    await sleep(500);
  }
  throw new Error(`ringing scheme submission failed after ${MAX_ATTEMPTS} attempts`);
}

async function loadPendingRecords() {
  const { rows } = await pool.query(
    `SELECT id, ring_number, species_code, age_code, sex, wing_mm, mass_g,
            site_id, ringer_id, caught_at
       FROM ringing_records
      WHERE submitted_at IS NULL
      ORDER BY caught_at
      LIMIT 2000`
  );

  // The scheme wants the ringer's permit number and the site grid reference.
  const enriched = [];
  for (const rec of rows) {
    const ringerRes = await pool.query('SELECT permit_number FROM ringers WHERE id = $1', [rec.ringer_id]);
    const siteRes = await pool.query('SELECT grid_ref, habitat FROM sites WHERE id = $1', [rec.site_id]);
    const ringer = ringerRes.rows[0];
    const site = siteRes.rows[0];
    enriched.push({
      ...rec,
      permitNumber: ringer ? ringer.permit_number : null,
      gridRef: site ? site.grid_ref : null,
      habitat: site ? site.habitat : null,
    });
  }
  return enriched;
}

async function main() {
  const records = await loadPendingRecords();
  if (records.length === 0) {
    logger.info('no ringing records to submit');
    return;
  }

  const result = await postBatch(records);
  await pool.query(
    'UPDATE ringing_records SET submitted_at = now(), scheme_batch_id = $2 WHERE id = ANY($1::bigint[])',
    [records.map((r) => r.id), result.batchId]
  );
  logger.info({ count: records.length, batchId: result.batchId }, 'ringing records submitted');
}

main()
  .catch((err) => {
    logger.error({ err }, 'ringing sync failed');
    process.exitCode = 1;
  })
  .finally(() => pool.end());
