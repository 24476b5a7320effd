// Data export endpoints.
// Exports of a whole workspace can take minutes, so the HTTP handler only
// enqueues a BullMQ job and returns 202; the worker (workers/export.js,
// separate deployment) builds the CSV and uploads it to S3.

import express from 'express';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { requireMember } from '../auth/middleware.js';
import logger from '../logger.js';

const connection = new IORedis(process.env.REDIS_URL, {
  maxRetriesPerRequest: null,
  connectTimeout: 5000,
});

const exportQueue = new Queue('workspace-exports', {
  connection,
  defaultJobOptions: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 5000 },
    removeOnComplete: { age: 24 * 3600 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
});

export const exportsRouter = express.Router();

exportsRouter.post('/workspaces/:workspaceId/exports', requireMember, async (req, res, next) => {
  const { workspaceId } = req.params;
  const format = req.body.format === 'xlsx' ? 'xlsx' : 'csv';

  try {
    const job = await exportQueue.add(
      'export',
      { workspaceId, format, requestedBy: req.user.id },
      // one running export per workspace+format; a second click returns the same job
      { jobId: `export:${workspaceId}:${format}:${new Date().toISOString().slice(0, 13)}` }
    );

    res.status(202).location(`/workspaces/${workspaceId}/exports/${job.id}`).json({
      jobId: job.id,
      status: 'queued',
    });
  } catch (err) {
    logger.error({ err, workspaceId }, 'failed to enqueue export');
    next(err);
  }
});

exportsRouter.get('/workspaces/:workspaceId/exports/:jobId', requireMember, async (req, res, next) => {
  try {
    const job = await exportQueue.getJob(req.params.jobId);
    if (!job || job.data.workspaceId !== req.params.workspaceId) {
      return res.status(404).json({ error: 'not found' });
    }

    const state = await job.getState();
    res.json({
      jobId: job.id,
      status: state,
      progress: job.progress,
      downloadUrl: state === 'completed' ? job.returnvalue?.url : undefined,
      error: state === 'failed' ? job.failedReason : undefined,
    });
  } catch (err) {
    next(err);
  }
});
