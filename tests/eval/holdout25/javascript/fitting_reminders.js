// workers/fittingReminders.js
// Sends SMS reminders 24 h before a wedding-dress alteration fitting.
// Runs every 5 minutes on each worker instance; SKIP LOCKED lets several instances share the queue.
const { pool } = require('../db');
const logger = require('../logger');

const SMS_URL = process.env.SMS_PROVIDER_URL;
const BATCH_SIZE = 200;
const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function backoffDelay(attempt) {
  const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.floor(Math.random() * exp); // full jitter
}

// One call per batch: the provider's bulk endpoint accepts up to 500 messages.
async function sendBatch(messages, idempotencyKey) {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      const res = await fetch(`${SMS_URL}/messages/bulk`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Idempotency-Key': idempotencyKey,
          Authorization: `Bearer ${process.env.SMS_API_KEY}`,
        },
        body: JSON.stringify({ messages }),
        signal: AbortSignal.timeout(10000),
      });
      if (res.ok) return res.json();
      if (res.status < 500 && res.status !== 429) {
        throw new Error(`SMS batch rejected with ${res.status}`);
      }
      logger.warn({ status: res.status, attempt }, 'SMS provider busy, backing off');
    } catch (err) {
      if (attempt === MAX_ATTEMPTS - 1) throw err;
      logger.warn({ err: err.message, attempt }, 'SMS batch failed, backing off');
    }
    await sleep(backoffDelay(attempt));
  }
  throw new Error('SMS provider unavailable after retries');
}

async function runOnce() {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      `SELECT f.id, f.fitting_at, c.phone, c.first_name, s.name AS studio
         FROM fittings f
         JOIN customers c ON c.id = f.customer_id
         JOIN studios s ON s.id = f.studio_id
        WHERE f.reminder_sent_at IS NULL
          AND f.fitting_at BETWEEN now() + interval '23 hours' AND now() + interval '24 hours'
        ORDER BY f.fitting_at
        LIMIT $1
        FOR UPDATE OF f SKIP LOCKED`,
      [BATCH_SIZE]
    );

    if (rows.length === 0) {
      await client.query('COMMIT');
      return 0;
    }

    const messages = rows.map((f) => ({
      to: f.phone,
      body: `Hi ${f.first_name}, your fitting at ${f.studio} is ${f.fitting_at.toLocaleString('en-GB', {
        timeZone: 'Europe/London',
      })}.`,
      reference: `fitting-${f.id}`,
    }));
    const ids = rows.map((f) => f.id);

    await sendBatch(messages, `fitting-reminders-${ids[0]}-${ids[ids.length - 1]}-${ids.length}`);
    await client.query('UPDATE fittings SET reminder_sent_at = now() WHERE id = ANY($1::bigint[])', [ids]);
    await client.query('COMMIT');
    return ids.length;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

module.exports = { runOnce, backoffDelay };
