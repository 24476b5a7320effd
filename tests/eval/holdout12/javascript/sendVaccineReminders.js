#!/usr/bin/env node
/**
 * Nightly vaccine reminder texts for PawsFirst clinics.
 *
 * Run by cron on the ops box (single process, takes a few minutes, then exits):
 *   15 2 * * *  cd /srv/pawsfirst && node scripts/sendVaccineReminders.js >> /var/log/reminders.log 2>&1
 */
'use strict';

const { Pool } = require('pg');
const axios = require('axios');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });

// TextRelay has no bulk endpoint, so one POST per owner. Timeout is set on the client.
const sms = axios.create({
  baseURL: 'https://api.textrelay.example/v1',
  timeout: 10000,
  headers: { Authorization: `Bearer ${process.env.TEXTRELAY_KEY}` },
});

const PAGE_SIZE = 500;
const MAX_ATTEMPTS = 5;
const notifiedOwners = new Set(); // one text per owner per run, even with three dogs due

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function sendWithRetry(payload) {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      return await sms.post('/messages', payload);
    } catch (err) {
      const status = err.response && err.response.status;
      const retryable = !status || status === 429 || status >= 500;
      if (!retryable || attempt === MAX_ATTEMPTS) throw err;
      const cap = Math.min(30000, 500 * 2 ** attempt); // exponential, capped at 30 s
      await sleep(cap / 2 + Math.random() * (cap / 2)); // with jitter
    }
  }
}

async function main() {
  let lastId = 0;
  let sent = 0;
  let failed = 0;

  for (;;) {
    const { rows: due } = await pool.query(
      `SELECT v.id, v.vaccine, v.due_on, p.name AS pet_name, p.owner_id
         FROM vaccinations v
         JOIN pets p ON p.id = v.pet_id
        WHERE v.due_on BETWEEN current_date + 7 AND current_date + 14
          AND v.reminded_at IS NULL
          AND v.id > $1
        ORDER BY v.id
        LIMIT $2`,
      [lastId, PAGE_SIZE]
    );
    if (due.length === 0) break;
    lastId = due[due.length - 1].id;

    // one query per page for all owners on the page
    const ownerIds = [...new Set(due.map((r) => r.owner_id))];
    const { rows: owners } = await pool.query(
      'SELECT id, first_name, mobile, sms_opt_in FROM owners WHERE id = ANY($1::bigint[])',
      [ownerIds]
    );
    const ownersById = new Map(owners.map((o) => [o.id, o]));

    const handled = [];
    for (const row of due) {
      const owner = ownersById.get(row.owner_id);
      if (!owner || !owner.sms_opt_in || !owner.mobile || notifiedOwners.has(owner.id)) {
        handled.push(row.id);
        continue;
      }
      try {
        await sendWithRetry({
          to: owner.mobile,
          body: `Hi ${owner.first_name}, ${row.pet_name} is due for ${row.vaccine} on ${row.due_on.toDateString()}. Reply BOOK to schedule.`,
        });
        notifiedOwners.add(owner.id);
        handled.push(row.id);
        sent++;
      } catch (err) {
        failed++;
        console.error(`reminder failed for vaccination ${row.id}: ${err.message}`);
      }
    }

    if (handled.length) {
      await pool.query('UPDATE vaccinations SET reminded_at = now() WHERE id = ANY($1::bigint[])', [handled]);
    }
  }

  console.log(`done: ${sent} sent, ${failed} failed`);
  if (failed > 0) process.exitCode = 2;
}

main()
  .catch((err) => {
    console.error('reminder run crashed', err);
    process.exitCode = 1;
  })
  .finally(() => pool.end());
