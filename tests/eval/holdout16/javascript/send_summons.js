#!/usr/bin/env node
// scripts/send-summons.js
// Nightly, single process: builds the mail-merge CSV of jury summonses for the
// printing vendor. Usage: node scripts/send-summons.js --term 2025-03 > out.csv
'use strict';

const { Pool } = require('pg');
const { parseArgs } = require('node:util');

const { values } = parseArgs({ options: { term: { type: 'string' }, page: { type: 'string', default: '500' } } });
if (!values.term) {
  console.error('usage: send-summons --term YYYY-MM');
  process.exit(2);
}

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2, statement_timeout: 60_000 });
const PAGE = Number(values.page);

function csv(v) {
  const s = String(v ?? '');
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function main() {
  // courtrooms are a tiny fixed list; load them once
  const courtroomById = new Map();
  const { rows: rooms } = await pool.query('SELECT id, name, address FROM courtrooms');
  for (const r of rooms) courtroomById.set(r.id, r);

  process.stdout.write('juror_id,name,address,report_date,courtroom,courtroom_address\n');

  let lastId = 0;
  let total = 0;
  for (;;) {
    const { rows: jurors } = await pool.query(
      `SELECT j.id, j.full_name, j.mailing_address, s.report_date, s.courtroom_id
         FROM summonses s JOIN jurors j ON j.id = s.juror_id
        WHERE s.term = $1 AND s.status = 'scheduled' AND j.id > $2
        ORDER BY j.id
        LIMIT $3`,
      [values.term, lastId, PAGE]
    );
    if (jurors.length === 0) break;

    // one query per page for deferral requests on this page
    const ids = jurors.map((j) => j.id);
    const { rows: deferred } = await pool.query(
      "SELECT juror_id FROM deferral_requests WHERE juror_id = ANY($1) AND status = 'approved' AND term = $2",
      [ids, values.term]
    );
    const skip = new Set(deferred.map((d) => d.juror_id));

    for (const j of jurors) {
      if (skip.has(j.id)) continue;
      const room = courtroomById.get(j.courtroom_id) || {};
      process.stdout.write(
        [j.id, j.full_name, j.mailing_address, j.report_date.toISOString().slice(0, 10), room.name, room.address]
          .map(csv).join(',') + '\n'
      );
      total++;
    }
    lastId = jurors[jurors.length - 1].id;
  }

  console.error(`wrote ${total} summonses for ${values.term}`);
  await pool.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
