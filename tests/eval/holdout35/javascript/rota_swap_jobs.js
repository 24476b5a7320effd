// jobs/rotaSwaps.js
// Cathedral bell ringing rotas: a ringer who can't make a Sunday service posts a
// swap request; it lapses 48 hours before the service if nobody picks it up.
// This worker runs beside the web app (2 replicas), so the sweep takes a Postgres
// advisory lock and only one replica does the work each time.
const cron = require('node-cron');
const axios = require('axios');
const { pool } = require('../db');
const logger = require('../logger');

const SWEEP_LOCK_ID = 730421; // arbitrary, unique to this job
const BATCH = 500;

const mailApi = axios.create({
  baseURL: process.env.MAIL_API_URL,
  timeout: 10_000,
  headers: { Authorization: `Bearer ${process.env.MAIL_API_KEY}` },
});

async function createSwapRequest({ towerId, ringerId, serviceId, note }) {
  const { rows } = await pool.query(
    `INSERT INTO rota_swap_requests (tower_id, ringer_id, service_id, note, expires_at)
     SELECT $1, $2, s.id, $4, s.starts_at - interval '48 hours'
       FROM services s
      WHERE s.id = $3 AND s.tower_id = $1
     ON CONFLICT (ringer_id, service_id) DO NOTHING
     RETURNING id, expires_at`,
    [towerId, ringerId, serviceId, note]
  );
  return rows[0] || null;
}

async function sweepExpiredSwaps() {
  const client = await pool.connect();
  try {
    const { rows: [lock] } = await client.query('SELECT pg_try_advisory_lock($1) AS got', [SWEEP_LOCK_ID]);
    if (!lock.got) return { skipped: true };

    try {
      let total = 0;
      for (;;) {
        // Delete in batches so a backlog never holds a long lock on the table.
        const { rows: lapsed } = await client.query(
          `DELETE FROM rota_swap_requests
            WHERE id IN (SELECT id FROM rota_swap_requests
                          WHERE expires_at < now() ORDER BY id LIMIT $1)
            RETURNING ringer_id, tower_id, service_id`,
          [BATCH]
        );
        if (lapsed.length === 0) break;
        total += lapsed.length;
        await notifyLapsed(client, lapsed);
      }
      return { skipped: false, total };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [SWEEP_LOCK_ID]);
    }
  } finally {
    client.release();
  }
}

async function notifyLapsed(client, lapsed) {
  const ringerIds = [...new Set(lapsed.map((r) => r.ringer_id))];
  const { rows: ringers } = await client.query(
    'SELECT id, email, display_name FROM ringers WHERE id = ANY($1::int[])',
    [ringerIds]
  );

  // One batch call per deleted batch; the mail service fans out.
  await mailApi.post('/batch', {
    template: 'swap-request-lapsed',
    recipients: ringers.map((r) => ({ to: r.email, vars: { name: r.display_name } })),
  });
}

function start() {
  cron.schedule('*/15 * * * *', async () => {
    try {
      const result = await sweepExpiredSwaps();
      logger.info(result, 'rota swap sweep finished');
    } catch (err) {
      logger.error({ err }, 'rota swap sweep failed; will retry on next tick');
    }
  });
}

module.exports = { start, createSwapRequest, sweepExpiredSwaps };
