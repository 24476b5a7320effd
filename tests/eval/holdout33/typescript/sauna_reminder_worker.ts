// src/workers/saunaReminders.ts
// Sends a text two hours before each booked sauna session ("bring a towel, the
// cold plunge is at 6°C today"). Runs every 5 minutes in the worker deployment;
// two worker pods may overlap, so rows are claimed with SKIP LOCKED.
import axios, { AxiosError } from 'axios';
import { Pool } from 'pg';
import { logger } from '../logger';

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 4,
  connectionTimeoutMillis: 5000,
  statement_timeout: 15000,
});

const sms = axios.create({
  baseURL: process.env.SMS_API_URL,
  timeout: 10_000,
  headers: { Authorization: `Bearer ${process.env.SMS_API_TOKEN}` },
});

const CLAIM_BATCH = 200;
const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isRetryable(err: unknown): boolean {
  const e = err as AxiosError;
  if (!e.isAxiosError) return false;
  if (!e.response) return true; // network error or timeout
  return e.response.status === 429 || e.response.status >= 500;
}

async function withBackoff<T>(label: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) {
        logger.error({ err, label, attempt }, 'giving up');
        throw err;
      }
      // full jitter, capped
      const delay = Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
      logger.warn({ label, attempt, delay: Math.round(delay) }, 'retrying after backoff');
      await sleep(delay);
    }
  }
}

interface DueReminder {
  booking_id: string;
  phone: string;
  first_name: string;
  starts_at: Date;
  plunge_temp_c: number | null;
}

export async function sendDueReminders(): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<DueReminder>(
      `SELECT b.id AS booking_id, m.phone, m.first_name, s.starts_at, s.plunge_temp_c
         FROM sauna_bookings b
         JOIN sauna_sessions s ON s.id = b.session_id
         JOIN members m ON m.id = b.member_id
        WHERE b.reminder_sent_at IS NULL
          AND b.cancelled_at IS NULL
          AND s.starts_at BETWEEN now() + interval '110 minutes' AND now() + interval '130 minutes'
        ORDER BY s.starts_at
        LIMIT $1
          FOR UPDATE OF b SKIP LOCKED`,
      [CLAIM_BATCH]
    );

    if (rows.length > 0) {
      const messages = rows.map((r) => ({
        to: r.phone,
        body:
          `Hi ${r.first_name}, your sauna session starts at ` +
          `${r.starts_at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}.` +
          (r.plunge_temp_c !== null ? ` Cold plunge is ${r.plunge_temp_c}°C.` : ''),
      }));
      // One batch call to the provider for the whole claim.
      await withBackoff('sms-batch', () => sms.post('/v1/messages/batch', { messages }));
      await client.query('UPDATE sauna_bookings SET reminder_sent_at = now() WHERE id = ANY($1::uuid[])', [
        rows.map((r) => r.booking_id),
      ]);
    }

    await client.query('COMMIT');
    return rows.length;
  } catch (err) {
    await client.query('ROLLBACK');
    logger.error({ err }, 'sauna reminder run failed');
    throw err;
  } finally {
    client.release();
  }
}
