// Lichen survey exports.
// Exporting a full survey (every plot, every quadrat, every species record with its
// photos) takes several minutes on the big upland surveys, so the HTTP handler only
// enqueues a job; the worker process (`node workers/exports.js`) does the work.

const express = require('express');
const fs = require('node:fs');
const path = require('node:path');
const { Queue, Worker } = require('bullmq');
const IORedis = require('ioredis');
const { pool } = require('../db');

const connection = new IORedis(process.env.REDIS_URL, { maxRetriesPerRequest: null });
const exportQueue = new Queue('survey-exports', { connection });

const EXPORT_DIR = process.env.EXPORT_DIR || '/var/exports';
const PAGE_SIZE = 1000;

const router = express.Router();

router.post('/surveys/:surveyId/exports', async (req, res, next) => {
  try {
    const job = await exportQueue.add(
      'csv',
      { orgId: req.user.orgId, surveyId: Number(req.params.surveyId), requestedBy: req.user.id },
      {
        attempts: 3,
        backoff: { type: 'exponential', delay: 5000, jitter: 0.5 },
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      }
    );
    res.status(202).location(`/exports/${job.id}`).json({ jobId: job.id, status: 'queued' });
  } catch (err) {
    next(err);
  }
});

router.get('/exports/:jobId', async (req, res, next) => {
  try {
    const job = await exportQueue.getJob(req.params.jobId);
    if (!job || job.data.orgId !== req.user.orgId) return res.status(404).end();
    const state = await job.getState();
    res.json({
      jobId: job.id,
      status: state,
      progress: job.progress,
      file: state === 'completed' ? job.returnvalue.file : null,
    });
  } catch (err) {
    next(err);
  }
});

// Worker side: started only in the worker deployment.
function startExportWorker() {
  return new Worker(
    'survey-exports',
    async (job) => {
      const { orgId, surveyId } = job.data;
      const file = path.join(EXPORT_DIR, `survey-${surveyId}-${job.id}.csv`);
      const out = fs.createWriteStream(file);
      out.write('plot_code,quadrat,species,cover_pct,substrate,recorded_on\n');

      let lastId = 0;
      let written = 0;
      for (;;) {
        const { rows } = await pool.query(
          `SELECT r.id, p.plot_code, r.quadrat, r.species, r.cover_pct, r.substrate, r.recorded_on
             FROM lichen_records r
             JOIN survey_plots p ON p.id = r.plot_id
            WHERE p.org_id = $1 AND p.survey_id = $2 AND r.id > $3
            ORDER BY r.id
            LIMIT $4`,
          [orgId, surveyId, lastId, PAGE_SIZE]
        );
        if (rows.length === 0) break;

        for (const r of rows) {
          out.write(`${r.plot_code},${r.quadrat},"${r.species}",${r.cover_pct},${r.substrate},${r.recorded_on.toISOString()}\n`);
        }
        written += rows.length;
        lastId = rows[rows.length - 1].id;
        await job.updateProgress({ written });
      }

      await new Promise((resolve, reject) => out.end((err) => (err ? reject(err) : resolve())));
      return { file: path.basename(file), rows: written };
    },
    { connection, concurrency: 2 }
  );
}

module.exports = { router, startExportWorker };
