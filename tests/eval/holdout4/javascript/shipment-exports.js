// Shipment CSV exports. The API only enqueues; the worker (ROLE=worker) builds the file.
// Deployed as 2 deployments from the same image: api (replicas: 4) and worker (replicas: 2).
const express = require('express');
const Queue = require('bull');
const cron = require('node-cron');
const { Pool } = require('pg');
const { S3Client } = require('@aws-sdk/client-s3');
const { Upload } = require('@aws-sdk/lib-storage');
const { NodeHttpHandler } = require('@smithy/node-http-handler');
const { stringify } = require('csv-stringify');
const QueryStream = require('pg-query-stream');
const crypto = require('crypto');

const pg = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, connectionTimeoutMillis: 5000 });
const s3 = new S3Client({
  region: process.env.AWS_REGION,
  requestHandler: new NodeHttpHandler({ connectionTimeout: 3000, requestTimeout: 60000 }),
});
const exportQueue = new Queue('shipment-exports', process.env.REDIS_URL);

const router = express.Router();

router.post('/exports', async (req, res) => {
  const { from, to } = req.body;
  const job = await exportQueue.add(
    { accountId: req.user.accountId, from, to },
    { attempts: 3, backoff: { type: 'exponential', delay: 10000 }, removeOnComplete: 500, removeOnFail: 500 }
  );
  res.status(202).json({ jobId: job.id, status: 'queued' });
});

router.get('/exports/:jobId', async (req, res) => {
  const job = await exportQueue.getJob(req.params.jobId);
  if (!job || job.data.accountId !== req.user.accountId) return res.status(404).end();
  const state = await job.getState();
  if (state !== 'completed') return res.json({ status: state, progress: job.progress() });

  const { rows } = await pg.query(
    'SELECT url FROM export_links WHERE job_id = $1 AND account_id = $2 AND expires_at > now()',
    [job.id, req.user.accountId]
  );
  if (!rows.length) return res.status(410).json({ status: 'expired' });
  res.json({ status: 'completed', url: rows[0].url });
});

if (process.env.ROLE === 'worker') {
  exportQueue.process(2, async (job) => {
    const { accountId, from, to } = job.data;
    const client = await pg.connect();
    try {
      const stream = client.query(new QueryStream(
        `SELECT id, reference, origin, destination, status, delivered_at
           FROM shipments WHERE account_id = $1 AND created_at BETWEEN $2 AND $3 ORDER BY id`,
        [accountId, from, to]
      ));
      const key = `exports/${accountId}/${crypto.randomUUID()}.csv`;
      await new Upload({
        client: s3,
        params: { Bucket: process.env.EXPORT_BUCKET, Key: key, Body: stream.pipe(stringify({ header: true })) },
      }).done();

      await pg.query(
        `INSERT INTO export_links (job_id, account_id, url, expires_at)
         VALUES ($1, $2, $3, now() + interval '24 hours')`,
        [job.id, accountId, `https://${process.env.EXPORT_CDN}/${key}`]
      );
    } finally {
      client.release();
    }
  });

  // expired links are purged by the worker every 15 minutes
  cron.schedule('*/15 * * * *', async () => {
    try {
      const { rowCount } = await pg.query('DELETE FROM export_links WHERE expires_at < now()');
      if (rowCount) console.log(`purged ${rowCount} expired export links`);
    } catch (err) {
      console.error('export link purge failed', err);
    }
  });
}

module.exports = router;
