// Exporting every case for a lab (some have 200k+ rows) inside the request is
// what trips the 30 s timeout on your API gateway. The usual fix is to accept
// the request, enqueue a job, and return 202 with a status URL. Here's a
// sketch with BullMQ; the worker streams rows with a cursor so memory stays flat.
//
// src/exports/caseExport.ts
import { Router } from 'express';
import { Queue, Worker, Job } from 'bullmq';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import QueryStream from 'pg-query-stream';
import { stringify } from 'csv-stringify';
import { Upload } from '@aws-sdk/lib-storage';
import { S3Client } from '@aws-sdk/client-s3';
import { logger } from '../logger';

const connection = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const s3 = new S3Client({ region: process.env.AWS_REGION });

export const exportQueue = new Queue('case-exports', { connection });

export const exportsRouter = Router();

exportsRouter.post('/labs/:labId/exports', async (req, res, next) => {
  try {
    if (req.account.labId !== req.params.labId) return res.sendStatus(403);
    const { rows } = await pool.query(
      `INSERT INTO export_jobs (lab_id, requested_by, status) VALUES ($1, $2, 'queued') RETURNING id`,
      [req.params.labId, req.user.id],
    );
    const exportId = rows[0].id;
    await exportQueue.add('cases-csv', { exportId, labId: req.params.labId }, {
      jobId: exportId,
      attempts: 3,
      backoff: { type: 'exponential', delay: 30_000 },
    });
    res.status(202).location(`/labs/${req.params.labId}/exports/${exportId}`).json({ exportId, status: 'queued' });
  } catch (err) {
    next(err);
  }
});

exportsRouter.get('/labs/:labId/exports/:exportId', async (req, res, next) => {
  try {
    if (req.account.labId !== req.params.labId) return res.sendStatus(403);
    const { rows } = await pool.query(
      'SELECT id, status, s3_key, row_count, finished_at FROM export_jobs WHERE id = $1 AND lab_id = $2',
      [req.params.exportId, req.params.labId],
    );
    if (!rows.length) return res.sendStatus(404);
    res.json(rows[0]);
  } catch (err) {
    next(err);
  }
});

// --- worker process (started with `node dist/exports/worker.js`, separate deployment) ---
export function startExportWorker() {
  return new Worker(
    'case-exports',
    async (job: Job<{ exportId: string; labId: string }>) => {
      const { exportId, labId } = job.data;
      const client = await pool.connect();
      try {
        await client.query("UPDATE export_jobs SET status = 'running' WHERE id = $1", [exportId]);
        const rowStream = client.query(
          new QueryStream(
            `SELECT c.id, c.case_no, c.practice_name, c.patient_ref, c.restoration, c.shade, c.status, c.due_date
               FROM case_orders c WHERE c.lab_id = $1 ORDER BY c.id`,
            [labId],
            { batchSize: 2000 },
          ),
        );
        const key = `exports/${labId}/${exportId}.csv`;
        const csv = rowStream.pipe(stringify({ header: true }));
        await new Upload({ client: s3, params: { Bucket: process.env.EXPORT_BUCKET!, Key: key, Body: csv } }).done();
        await client.query(
          "UPDATE export_jobs SET status = 'done', s3_key = $2, finished_at = now() WHERE id = $1",
          [exportId, key],
        );
      } catch (err) {
        logger.error({ err, exportId }, 'case export failed');
        await client
          .query("UPDATE export_jobs SET status = 'failed' WHERE id = $1", [exportId])
          .catch((e) => logger.warn({ err: e, exportId }, 'could not mark export as failed'));
        throw err;
      } finally {
        client.release();
      }
    },
    { connection, concurrency: 2 },
  );
}
