// routes/stallholderPacks.js + workers/stallholderPacks.js (pasted together)
// Village hall jumble sale tables: the organiser sends every stallholder their
// pack (table number, floor plan PDF, setting-up time). Building the PDFs takes a
// while for a big sale, so the request only queues the job and returns 202.
const express = require('express');
const axios = require('axios');
const { Queue, Worker } = require('bullmq');
const { pool } = require('../db');
const { connection } = require('../redis');
const { requireOrganiser } = require('../auth');
const { renderFloorPlanPdf } = require('../pdf/floorPlan');
const logger = require('../logger');

const packsQueue = new Queue('stallholder-packs', { connection });
const router = express.Router();

const printApi = axios.create({
  baseURL: process.env.PRINT_SERVICE_URL,
  timeout: 15_000,
});

router.post('/halls/:hallId/sales/:saleId/packs', requireOrganiser, async (req, res, next) => {
  const { hallId, saleId } = req.params;
  if (Number(hallId) !== req.organiser.hallId) return res.sendStatus(403);

  try {
    const { rowCount } = await pool.query(
      'SELECT 1 FROM jumble_sales WHERE id = $1 AND hall_id = $2',
      [saleId, hallId]
    );
    if (rowCount === 0) return res.sendStatus(404);

    // Same jobId for the same sale: pressing the button twice doesn't send two packs.
    const job = await packsQueue.add(
      'send-packs',
      { hallId: Number(hallId), saleId: Number(saleId) },
      { jobId: `packs-${hallId}-${saleId}`, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 7 * 86_400 } }
    );
    res.status(202).location(`/jobs/${job.id}`).json({ jobId: job.id, status: 'queued' });
  } catch (err) {
    next(err);
  }
});

router.get('/jobs/:jobId', requireOrganiser, async (req, res, next) => {
  try {
    const job = await packsQueue.getJob(req.params.jobId);
    if (!job || job.data.hallId !== req.organiser.hallId) return res.sendStatus(404);
    res.json({ jobId: job.id, state: await job.getState(), progress: job.progress });
  } catch (err) {
    next(err);
  }
});

// Exponential backoff with full jitter, capped, for the print service's 429/5xx.
async function withBackoff(fn, { retries = 5, baseMs = 300, capMs = 10_000 } = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const status = err.response && err.response.status;
      const retryable = !status || status === 429 || status >= 500;
      if (!retryable || attempt >= retries) throw err;
      const delay = Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
      logger.warn({ attempt, delay, status }, 'print service call failed, backing off');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

new Worker('stallholder-packs', async (job) => {
  const { hallId, saleId } = job.data;
  const { rows: tables } = await pool.query(
    `SELECT t.table_no, t.position_x, t.position_y, s.name, s.email, s.goods
       FROM sale_tables t JOIN stallholders s ON s.id = t.stallholder_id
      WHERE t.sale_id = $1 AND t.hall_id = $2
      ORDER BY t.table_no
      LIMIT 300`,
    [saleId, hallId]
  );
  await job.updateProgress(10);

  const pdf = await renderFloorPlanPdf(tables);
  await job.updateProgress(60);

  // One call: the print service stores the PDF and emails every stallholder.
  const { data } = await withBackoff(() =>
    printApi.post('/mailouts', {
      reference: `packs-${hallId}-${saleId}`,
      attachment: pdf.toString('base64'),
      recipients: tables.map((t) => ({ email: t.email, vars: { name: t.name, table: t.table_no } })),
    })
  );
  await job.updateProgress(100);
  return { mailoutId: data.id, recipients: tables.length };
}, { connection, concurrency: 2 });

module.exports = router;
