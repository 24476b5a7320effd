// src/routes/rebalance.ts
// Overnight rebalancing plans for the bike-share operations team: which vans move
// how many bikes between which docks. Solving the plan takes several minutes, so
// the API only queues it; a separate worker deployment runs the solver.
import { Router, Request, Response, NextFunction } from 'express';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { z } from 'zod';
import { pool } from '../db';

const connection = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: null, connectTimeout: 3000 });
const plans = new Queue('rebalance-plans', {
  connection,
  defaultJobOptions: {
    attempts: 4,
    backoff: { type: 'exponential', delay: 5000, jitter: 0.5 },
    removeOnComplete: { age: 7 * 24 * 3600 },
    removeOnFail: { age: 30 * 24 * 3600 },
  },
});

const router = Router();

const PlanRequest = z.object({
  cityId: z.string().uuid(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  vans: z.number().int().min(1).max(12),
});

router.post('/rebalance-plans', async (req: Request, res: Response, next: NextFunction) => {
  const parsed = PlanRequest.safeParse(req.body);
  if (!parsed.success) return res.status(422).json({ error: parsed.error.flatten() });
  const { cityId, date, vans } = parsed.data;
  const operatorId = req.user!.operatorId;

  try {
    const city = await pool.query('SELECT 1 FROM cities WHERE id = $1 AND operator_id = $2', [cityId, operatorId]);
    if (city.rowCount === 0) return res.status(404).json({ error: 'city not found' });

    // One plan per operator/city/night: BullMQ ignores an add() whose jobId already exists,
    // so a double submit from two dispatchers returns the same job.
    const jobId = `plan:${operatorId}:${cityId}:${date}`;
    const job = await plans.add('solve', { operatorId, cityId, date, vans }, { jobId });

    res.status(202).location(`/rebalance-plans/${encodeURIComponent(job.id!)}`).json({
      jobId: job.id,
      status: 'queued',
    });
  } catch (err) {
    next(err);
  }
});

router.get('/rebalance-plans/:jobId', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const job = await plans.getJob(req.params.jobId);
    if (!job || job.data.operatorId !== req.user!.operatorId) {
      return res.status(404).json({ error: 'plan not found' });
    }

    const state = await job.getState();
    if (state === 'completed') {
      return res.json({ jobId: job.id, status: state, plan: job.returnvalue });
    }
    if (state === 'failed') {
      return res.json({ jobId: job.id, status: state, reason: job.failedReason });
    }
    res.set('Retry-After', '10').json({ jobId: job.id, status: state, progress: job.progress });
  } catch (err) {
    next(err);
  }
});

export default router;
