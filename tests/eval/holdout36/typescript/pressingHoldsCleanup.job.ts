// jobs/pressing-holds.ts
// Community orchard cider pressings: when a member picks a slot on the shared press we hold
// it for 30 minutes while they fill in apple variety and weight. This module creates the
// holds and runs the repeatable job that clears lapsed ones and queues a note to each
// orchard's coordinator about the slots that came free.
import { Queue, Worker, Job } from 'bullmq';
import IORedis from 'ioredis';
import { pool } from '../db/pool';
import { logger } from '../lib/logger';

const HOLD_MINUTES = 30;
const DELETE_BATCH = 1000;

const connection = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: null, connectTimeout: 5000 });
export const maintenanceQueue = new Queue('orchard-maintenance', { connection });

export async function holdPressingSlot(orchardId: string, slotId: string, memberId: string) {
  // UNIQUE (slot_id) on pressing_holds: only one live hold per slot.
  const { rows } = await pool.query(
    `INSERT INTO pressing_holds (orchard_id, slot_id, member_id, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(mins => $4))
     ON CONFLICT (slot_id) DO UPDATE
        SET member_id = EXCLUDED.member_id, expires_at = EXCLUDED.expires_at
      WHERE pressing_holds.expires_at < now()
     RETURNING id, expires_at`,
    [orchardId, slotId, memberId, HOLD_MINUTES],
  );
  return rows[0] ?? null; // null: someone else holds the slot
}

async function clearLapsedHolds(job: Job): Promise<{ deleted: number }> {
  const freed: { orchard_id: string; slot_id: string }[] = [];

  // Delete in batches so a backlog never holds a long lock on the table.
  for (;;) {
    const { rows } = await pool.query(
      `DELETE FROM pressing_holds
        WHERE id IN (SELECT id FROM pressing_holds WHERE expires_at < now() ORDER BY id LIMIT $1)
        RETURNING orchard_id, slot_id`,
      [DELETE_BATCH],
    );
    freed.push(...rows);
    await job.updateProgress({ deleted: freed.length });
    if (rows.length < DELETE_BATCH) break;
  }

  if (freed.length > 0) {
    // One outbox row per orchard; the notifications worker emails the coordinators.
    await pool.query(
      `INSERT INTO coordinator_notifications (orchard_id, kind, payload)
       SELECT f.orchard_id, 'holds_released', jsonb_build_object('slots', array_agg(f.slot_id))
         FROM unnest($1::uuid[], $2::uuid[]) AS f(orchard_id, slot_id)
        GROUP BY f.orchard_id`,
      [freed.map((f) => f.orchard_id), freed.map((f) => f.slot_id)],
    );
  }

  logger.info({ deleted: freed.length }, 'lapsed pressing holds cleared');
  return { deleted: freed.length };
}

export async function scheduleMaintenance() {
  await maintenanceQueue.add(
    'clear-lapsed-holds',
    {},
    {
      repeat: { every: 5 * 60 * 1000 },
      attempts: 5,
      backoff: { type: 'exponential', delay: 30_000, jitter: 0.5 },
      removeOnComplete: 100,
      removeOnFail: 500,
    },
  );
}

export const maintenanceWorker = new Worker(
  'orchard-maintenance',
  async (job) => {
    if (job.name === 'clear-lapsed-holds') return clearLapsedHolds(job);
    throw new Error(`unknown maintenance job ${job.name}`);
  },
  { connection, concurrency: 1 },
);

maintenanceWorker.on('failed', (job, err) => {
  logger.error({ err, jobId: job?.id, attempts: job?.attemptsMade }, 'maintenance job failed');
});
