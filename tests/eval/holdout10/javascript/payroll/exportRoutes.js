// Here's a production-ready version of the payslip export endpoint.
//
// The original handler looped over every employee and rendered each PDF inside
// the request, which is why it hit the 30s load-balancer timeout for larger
// companies. This version:
//   1. validates the request and enqueues a BullMQ job,
//   2. returns 202 Accepted with a status URL right away,
//   3. lets a separate worker (workers/payslipExport.js) render the PDFs and
//      upload a zip to S3.
//
// routes/exports.js
const express = require('express');
const { Queue } = require('bullmq');
const { redis } = require('../lib/redis'); // shared ioredis connection
const db = require('../lib/db');            // shared pg.Pool
const requireRole = require('../middleware/requireRole');

const router = express.Router();
const exportQueue = new Queue('payslip-export', { connection: redis });

/**
 * POST /payroll-runs/:runId/payslips/export
 * Starts an export of all payslips in a payroll run for the caller's organisation.
 */
router.post('/payroll-runs/:runId/payslips/export', requireRole('payroll_admin'), async (req, res, next) => {
  try {
    const { rows } = await db.query(
      'SELECT id, status FROM payroll_runs WHERE id = $1 AND org_id = $2',
      [req.params.runId, req.user.orgId]
    );
    if (!rows.length) return res.status(404).json({ error: 'Payroll run not found' });
    if (rows[0].status !== 'finalized') {
      return res.status(409).json({ error: 'Payroll run must be finalized before export' });
    }

    // jobId makes repeated clicks idempotent: BullMQ ignores a second add with the same id
    const job = await exportQueue.add(
      'export',
      { orgId: req.user.orgId, runId: rows[0].id, requestedBy: req.user.id },
      { jobId: `payslips:${req.user.orgId}:${rows[0].id}`, attempts: 3, backoff: { type: 'exponential', delay: 10_000 } }
    );

    res.status(202).json({ jobId: job.id, statusUrl: `/exports/${encodeURIComponent(job.id)}` });
  } catch (err) {
    next(err);
  }
});

/**
 * GET /exports/:jobId
 * Polled by the UI every few seconds until the zip is ready.
 */
router.get('/exports/:jobId', requireRole('payroll_admin'), async (req, res, next) => {
  try {
    const job = await exportQueue.getJob(req.params.jobId);
    if (!job || job.data.orgId !== req.user.orgId) {
      return res.status(404).json({ error: 'Export not found' });
    }

    const state = await job.getState();
    res.json({
      state,
      progress: job.progress,
      downloadUrl: state === 'completed' ? job.returnvalue?.downloadUrl : undefined,
      error: state === 'failed' ? 'Export failed, please retry' : undefined,
    });
  } catch (err) {
    next(err);
  }
});

module.exports = router;

// Key points:
// - The request now finishes in milliseconds regardless of company size.
// - Exports are scoped by org_id, so one tenant can't poll another tenant's job.
// - The worker reports progress via job.updateProgress() so the UI can show a bar.
