// src/routes/dialARideRouteOptimiser.ts
// Dial-a-ride: building tomorrow's minibus runs from the day's trip requests
// takes a few minutes (vehicle routing with time windows), so the API only
// enqueues the work and the dispatcher's screen polls for the result.

import { Router } from "express";
import { Queue } from "bullmq";
import IORedis from "ioredis";
import { requireDispatcher } from "../auth";

// Shared connection for the queue producer (workers run in a separate deployment).
const connection = new IORedis(process.env.REDIS_URL as string, {
  maxRetriesPerRequest: null,
  connectTimeout: 3000,
});

export const planningQueue = new Queue("dial-a-ride-planning", {
  connection,
  defaultJobOptions: {
    attempts: 3,
    backoff: { type: "exponential", delay: 5000 },
    removeOnComplete: { age: 24 * 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
});

export const optimiserRouter = Router();

optimiserRouter.post("/schemes/:schemeId/runs/:serviceDate/plan", requireDispatcher, async (req, res, next) => {
  const { schemeId, serviceDate } = req.params;
  if (req.user.schemeId !== schemeId) return res.status(403).end();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(serviceDate)) {
    return res.status(400).json({ error: "serviceDate must be YYYY-MM-DD" });
  }

  try {
    // Deterministic job id: pressing "Plan" twice while a run is queued reuses it.
    const job = await planningQueue.add(
      "plan-runs",
      { schemeId, serviceDate, requestedBy: req.user.id },
      { jobId: `plan:${schemeId}:${serviceDate}` }
    );
    res
      .status(202)
      .location(`/schemes/${schemeId}/plan-jobs/${encodeURIComponent(job.id as string)}`)
      .json({ jobId: job.id, state: "queued" });
  } catch (err) {
    next(err);
  }
});

optimiserRouter.get("/schemes/:schemeId/plan-jobs/:jobId", requireDispatcher, async (req, res, next) => {
  const { schemeId, jobId } = req.params;
  if (req.user.schemeId !== schemeId) return res.status(403).end();

  try {
    const job = await planningQueue.getJob(jobId);
    if (!job || job.data.schemeId !== schemeId) return res.status(404).end();

    const state = await job.getState();
    if (state === "completed") {
      return res.json({ jobId, state, result: job.returnvalue });
    }
    if (state === "failed") {
      return res.json({ jobId, state, reason: job.failedReason });
    }
    res.set("Retry-After", "5");
    return res.json({ jobId, state, progress: job.progress });
  } catch (err) {
    next(err);
  }
});
