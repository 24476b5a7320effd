/**
 * Outage notification worker -- rural broadband co-op.
 *
 * Here's the revised worker. Changes from the version you pasted:
 *  - the SMS client is created once, with a timeout on the axios instance
 *  - subscribers are paged (keyset, 500 at a time) and each page is sent with
 *    ONE call to the provider's batch endpoint
 *  - retries use capped exponential backoff with jitter, and failures are
 *    logged and re-thrown so BullMQ marks the job failed and retries it later
 */
import axios, { AxiosError } from 'axios';
import { Worker, Job } from 'bullmq';
import { Pool } from 'pg';
import pino from 'pino';

const logger = pino({ name: 'outage-worker' });
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });

const sms = axios.create({
  baseURL: 'https://api.smsgateway.example/v3',
  timeout: 10_000,
  headers: { Authorization: `Bearer ${process.env.SMS_TOKEN}` },
});

const PAGE_SIZE = 500;
const MAX_ATTEMPTS = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isRetryable(err: unknown): boolean {
  const e = err as AxiosError;
  if (!e.response) return true; // network error / timeout
  return e.response.status === 429 || e.response.status >= 500;
}

async function withBackoff<T>(label: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) {
        logger.error({ err, attempt, label }, 'giving up');
        throw err;
      }
      const ceiling = Math.min(30_000, 250 * 2 ** attempt);
      const delay = ceiling / 2 + Math.random() * (ceiling / 2);
      logger.warn({ attempt, delay, label }, 'retrying');
      await sleep(delay);
    }
  }
}

interface OutageJob {
  outageId: number;
  coopId: number;
  message: string;
}

async function notifyOutage(job: Job<OutageJob>) {
  const { outageId, coopId, message } = job.data;
  let lastId = 0;
  let sent = 0;

  while (true) {
    const { rows } = await pool.query<{ id: number; phone: string }>(
      `SELECT m.id, m.sms_phone AS phone
         FROM members m
         JOIN outage_areas oa ON oa.cabinet_id = m.cabinet_id
        WHERE oa.outage_id = $1 AND m.coop_id = $2 AND m.sms_opt_in AND m.id > $3
        ORDER BY m.id
        LIMIT $4`,
      [outageId, coopId, lastId, PAGE_SIZE],
    );
    if (rows.length === 0) break;

    await withBackoff(`outage ${outageId} page after ${lastId}`, () =>
      sms.post('/messages/batch', {
        idempotencyKey: `outage-${outageId}-${rows[0].id}`,
        messages: rows.map((r) => ({ to: r.phone, body: message })),
      }),
    );

    sent += rows.length;
    lastId = rows[rows.length - 1].id;
    await job.updateProgress({ sent });
  }

  logger.info({ outageId, sent }, 'outage notifications sent');
  return { sent };
}

export const worker = new Worker<OutageJob>('outage-notify', notifyOutage, {
  connection: { url: process.env.REDIS_URL },
  concurrency: 2,
});
