// workers/greenhouseAlerts.ts
// Consumes threshold breaches queued by the ingestion API and pushes alerts
// to growers' phones. A grower can snooze an alert for a metric.
import { Worker } from 'bullmq';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { logger } from '../lib/logger';

const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5, statement_timeout: 5000 });

const QUEUE = 'greenhouse-breaches';
const MAX_ATTEMPTS = 6;
const PUSH_TIMEOUT_MS = 4000;

type Breach = { greenhouseId: string; orgId: string; metric: string; value: number; threshold: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function isSnoozed(b: Breach): Promise<boolean> {
  const { rowCount } = await pool.query(
    `SELECT 1 FROM alert_snoozes
      WHERE org_id = $1 AND greenhouse_id = $2 AND metric = $3 AND snoozed_until > now()`,
    [b.orgId, b.greenhouseId, b.metric],
  );
  return (rowCount ?? 0) > 0;
}

export async function snooze(orgId: string, greenhouseId: string, metric: string, hours: number, userId: string) {
  await pool.query(
    `INSERT INTO alert_snoozes (org_id, greenhouse_id, metric, snoozed_by, snoozed_until)
     VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5))`,
    [orgId, greenhouseId, metric, userId, hours],
  );
}

async function pushAlert(b: Breach): Promise<void> {
  const res = await fetch(`${process.env.PUSH_GATEWAY_URL}/v1/notify`, {
    method: 'POST',
    signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
    headers: { 'Content-Type': 'application/json', Authorization: `Key ${process.env.PUSH_KEY}` },
    body: JSON.stringify({
      topic: `org-${b.orgId}-gh-${b.greenhouseId}`,
      title: `${b.metric} out of range`,
      body: `${b.metric} is ${b.value} (limit ${b.threshold})`,
    }),
  });
  if (!res.ok) throw new Error(`push gateway ${res.status}`);
}

async function deliver(b: Breach): Promise<void> {
  let attempts = 0;
  while (attempts < MAX_ATTEMPTS) {
    try {
      await pushAlert(b);
      return;
    } catch (err) {
      attempts += 1;
      logger.warn({ err, attempts, greenhouseId: b.greenhouseId }, 'push failed, retrying');
      await sleep(250);
    }
  }
  throw new Error(`alert for ${b.greenhouseId}/${b.metric} not delivered after ${MAX_ATTEMPTS} attempts`);
}

export const breachWorker = new Worker<Breach>(
  QUEUE,
  async (job) => {
    const breach = job.data;
    if (await isSnoozed(breach)) {
      logger.debug({ jobId: job.id, metric: breach.metric }, 'alert snoozed');
      return { delivered: false };
    }
    await deliver(breach);
    return { delivered: true };
  },
  { connection, concurrency: 10 },
);

breachWorker.on('failed', (job, err) => {
  logger.error({ err, jobId: job?.id }, 'breach alert job failed');
});
