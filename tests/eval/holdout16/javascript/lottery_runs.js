// housing-lottery/server.js + worker.js (pasted together)
// Running the room lottery for ~9k applicants takes several minutes, so the
// HTTP request only records the run and enqueues it. The worker does the work.
const express = require('express');
const crypto = require('node:crypto');
const { Queue, Worker } = require('bullmq');
const IORedis = require('ioredis');
const knex = require('./db'); // shared knex instance (pool configured in db.js)

const connection = new IORedis(process.env.REDIS_URL, { maxRetriesPerRequest: null });
const lotteryQueue = new Queue('housing-lottery', { connection });

const app = express();
app.use(express.json());

// POST /terms/:termId/lottery/runs  -> 202 + run id
app.post('/terms/:termId/lottery/runs', async (req, res, next) => {
  try {
    const [run] = await knex('lottery_runs')
      .insert({ term_id: req.params.termId, status: 'queued', requested_by: req.user.id })
      .returning(['id', 'status']);
    await lotteryQueue.add('run', { runId: run.id, termId: req.params.termId }, {
      jobId: `lottery-${run.id}`,
      attempts: 3,
      backoff: { type: 'exponential', delay: 10000 },
    });
    res.status(202).location(`/lottery/runs/${run.id}`).json(run);
  } catch (err) {
    next(err);
  }
});

// GET /lottery/runs/:id -> status polled by the admin UI
app.get('/lottery/runs/:id', async (req, res, next) => {
  try {
    const run = await knex('lottery_runs')
      .where({ id: req.params.id })
      .first('id', 'status', 'assigned_count', 'finished_at', 'error');
    if (!run) return res.sendStatus(404);
    res.json(run);
  } catch (err) {
    next(err);
  }
});

// ---------------- worker.js ----------------
function shuffle(arr) {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [arr[i], arr[j]] = [arr[j], arr[i]];
  }
  return arr;
}

new Worker('housing-lottery', async (job) => {
  const { runId, termId } = job.data;
  await knex('lottery_runs').where({ id: runId }).update({ status: 'running' });

  const applicants = shuffle(
    await knex('housing_applications').where({ term_id: termId, status: 'submitted' }).select('id', 'student_id', 'preferences')
  );
  const beds = await knex('beds').where({ term_id: termId, status: 'open' }).select('id', 'building_id');

  const free = new Map(); // building_id -> [bed ids]; local to this job run
  for (const b of beds) {
    if (!free.has(b.building_id)) free.set(b.building_id, []);
    free.get(b.building_id).push(b.id);
  }

  const assignments = [];
  for (const a of applicants) {
    const pick = (a.preferences || []).find((bld) => free.get(bld)?.length);
    if (pick) assignments.push({ run_id: runId, application_id: a.id, bed_id: free.get(pick).pop() });
  }

  // insert 1000 at a time
  for (let i = 0; i < assignments.length; i += 1000) {
    await knex('bed_assignments').insert(assignments.slice(i, i + 1000));
    await job.updateProgress(Math.round((i / assignments.length) * 100));
  }

  await knex('lottery_runs').where({ id: runId })
    .update({ status: 'done', assigned_count: assignments.length, finished_at: knex.fn.now() });
}, { connection, concurrency: 1 }).on('failed', async (job, err) => {
  console.error('lottery run failed', job?.data?.runId, err);
  if (job) await knex('lottery_runs').where({ id: job.data.runId }).update({ status: 'failed', error: err.message });
});

module.exports = app;
