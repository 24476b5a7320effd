// ---- src/exports/routes.js (API, 4 replicas) ----
const express = require('express');
const { Queue } = require('bullmq');
const { connection } = require('../redis'); // shared ioredis connection (maxRetriesPerRequest: null)
const { requireAuth, requireWorkspaceMember } = require('../middleware/auth');

const router = express.Router();
const exportQueue = new Queue('csv-exports', { connection });

// Kick off a CSV export of all contacts in a workspace. Big workspaces have millions of
// rows, so the work happens in the worker and the client polls the status URL.
router.post('/workspaces/:workspaceId/exports', requireAuth, requireWorkspaceMember, async (req, res, next) => {
  try {
    const job = await exportQueue.add(
      'contacts-csv',
      { workspaceId: req.params.workspaceId, requestedBy: req.user.id, filters: req.body.filters || {} },
      {
        attempts: 5,
        backoff: { type: 'exponential', delay: 5000 },
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      }
    );
    res.status(202).json({ jobId: job.id, statusUrl: `/workspaces/${req.params.workspaceId}/exports/${job.id}` });
  } catch (err) {
    next(err);
  }
});

router.get('/workspaces/:workspaceId/exports/:jobId', requireAuth, requireWorkspaceMember, async (req, res, next) => {
  try {
    const job = await exportQueue.getJob(req.params.jobId);
    if (!job || job.data.workspaceId !== req.params.workspaceId) return res.sendStatus(404);
    const state = await job.getState();
    res.json({ state, progress: job.progress, downloadUrl: job.returnvalue ? job.returnvalue.url : null });
  } catch (err) {
    next(err);
  }
});

module.exports = router;

// ---- src/exports/worker.js (separate deployment: `node src/exports/worker.js`) ----
const { Worker } = require('bullmq');
const { S3Client } = require('@aws-sdk/client-s3');
const { Upload } = require('@aws-sdk/lib-storage');
const { getSignedUrl } = require('@aws-sdk/s3-request-presigner');
const { GetObjectCommand } = require('@aws-sdk/client-s3');
const { NodeHttpHandler } = require('@smithy/node-http-handler');
const QueryStream = require('pg-query-stream');
const { stringify } = require('csv-stringify');
const { pool } = require('../db');
const logger = require('../logger');

const s3 = new S3Client({
  region: process.env.AWS_REGION,
  requestHandler: new NodeHttpHandler({ connectionTimeout: 3000, requestTimeout: 120000 }),
});

async function exportContacts(job) {
  const { workspaceId } = job.data;
  const client = await pool.connect();
  try {
    const rows = client.query(
      new QueryStream(
        'SELECT id, email, first_name, last_name, created_at FROM contacts WHERE workspace_id = $1 ORDER BY id',
        [workspaceId],
        { batchSize: 5000 }
      )
    );
    const key = `exports/${workspaceId}/${job.id}.csv`;
    const upload = new Upload({
      client: s3,
      params: { Bucket: process.env.EXPORT_BUCKET, Key: key, Body: rows.pipe(stringify({ header: true })) },
    });
    await upload.done();
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: process.env.EXPORT_BUCKET, Key: key }), { expiresIn: 3600 });
    return { url };
  } finally {
    client.release();
  }
}

const worker = new Worker('csv-exports', exportContacts, { connection, concurrency: 2 });
worker.on('failed', (job, err) => logger.error({ err, jobId: job && job.id }, 'export job failed'));
