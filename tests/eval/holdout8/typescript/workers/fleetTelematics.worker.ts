// workers/fleetTelematics.worker.ts
// Car rental: BullMQ worker that pulls odometer/fuel readings from the telematics
// vendor for a batch of vehicles and stores them. Triggered every 10 min by a
// repeatable job; API pods only enqueue.

import { Worker, Job } from 'bullmq';
import axios, { AxiosError } from 'axios';
import { DataSource } from 'typeorm';
import { connection } from '../queues/connection';
import { dataSource } from '../db/data-source';
import { logger } from '../logger';

const telematics = axios.create({
  baseURL: process.env.TELEMATICS_URL,
  timeout: 10_000,
  headers: { 'X-Api-Key': process.env.TELEMATICS_KEY ?? '' },
});

const MAX_ATTEMPTS = 5;

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

async function withBackoff<T>(fn: () => Promise<T>, label: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const status = (err as AxiosError).response?.status;
      const retryable = !status || status >= 500 || status === 429;
      if (!retryable || attempt >= MAX_ATTEMPTS) {
        logger.error({ err, label, attempt }, 'telematics call failed');
        throw err;
      }
      const cap = Math.min(30_000, 500 * 2 ** attempt);
      await sleep(Math.random() * cap); // full jitter
    }
  }
}

async function ingest(job: Job<{ vehicleIds: string[] }>, ds: DataSource) {
  const { vehicleIds } = job.data;

  // vendor batch endpoint: up to 100 VINs per call
  const { data } = await withBackoff(
    () => telematics.post('/v3/readings/latest', { vehicleIds }),
    `batch:${job.id}`,
  );

  const rows = data.readings.map((r: any) => [r.vehicleId, r.odometerKm, r.fuelPct, new Date(r.recordedAt)]);
  if (rows.length === 0) return 0;

  await ds.query(
    `INSERT INTO vehicle_readings (vehicle_id, odometer_km, fuel_pct, recorded_at)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::numeric[], $4::timestamptz[])
     ON CONFLICT (vehicle_id, recorded_at) DO NOTHING`,
    [rows.map((r: any[]) => r[0]), rows.map((r: any[]) => r[1]), rows.map((r: any[]) => r[2]), rows.map((r: any[]) => r[3])],
  );
  return rows.length;
}

export const worker = new Worker(
  'fleet-telematics',
  async (job) => {
    if (!dataSource.isInitialized) await dataSource.initialize();
    return ingest(job, dataSource);
  },
  { connection, concurrency: 4 },
);

worker.on('failed', (job, err) => logger.warn({ jobId: job?.id, err }, 'telematics job failed'));
