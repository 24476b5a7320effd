#!/usr/bin/env node
// scripts/forfeit-sweep.js
// Nightly: loans past due_date + grace period move to 'forfeited' and the item goes to the
// sales floor queue. Run by a systemd timer on the back-office box, one instance at a time
// (flock in the unit file). Single process, exits when done.

const { Client } = require('pg');

const GRACE_DAYS = Number(process.env.GRACE_DAYS || 30);
const PAGE = 500;

async function main() {
  const client = new Client({ connectionString: process.env.DATABASE_URL, statement_timeout: 30000 });
  await client.connect();

  const notifiedCustomers = new Set(); // one letter per customer per run
  let lastId = 0;
  let total = 0;

  try {
    for (;;) {
      const { rows } = await client.query(
        `SELECT id, customer_id, item_id
           FROM pawn_loans
          WHERE status = 'active'
            AND due_date < current_date - $1::int
            AND id > $2
          ORDER BY id
          LIMIT $3`,
        [GRACE_DAYS, lastId, PAGE]
      );
      if (rows.length === 0) break;
      lastId = rows[rows.length - 1].id;

      const ids = rows.map((r) => r.id);
      await client.query('BEGIN');
      const upd = await client.query(
        `UPDATE pawn_loans SET status = 'forfeited', forfeited_at = now()
          WHERE id = ANY($1::bigint[]) AND status = 'active'
          RETURNING id, customer_id, item_id`,
        [ids]
      );
      await client.query(
        `UPDATE inventory_items SET location = 'sales_queue'
          WHERE id = ANY($1::bigint[])`,
        [upd.rows.map((r) => r.item_id)]
      );
      const letters = upd.rows.filter((r) => !notifiedCustomers.has(r.customer_id));
      letters.forEach((r) => notifiedCustomers.add(r.customer_id));
      if (letters.length) {
        await client.query(
          `INSERT INTO outbound_letters (customer_id, template, loan_id)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])`,
          [letters.map((r) => r.customer_id), letters.map(() => 'forfeit_notice'), letters.map((r) => r.id)]
        );
      }
      await client.query('COMMIT');
      total += upd.rowCount;
      console.log(`page ending ${lastId}: forfeited ${upd.rowCount}`);
    }
    console.log(`done, ${total} loans forfeited`);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    console.error('forfeit sweep failed', err);
    process.exitCode = 1;
  } finally {
    await client.end();
  }
}

main();
