// Kids' sports club admin: export season roster as CSV.
// API returns 202 immediately; the worker (separate deployment) streams rows page by page.
const express = require('express');
const { Queue, Worker } = require('bullmq');
const IORedis = require('ioredis');
const knex = require('../db/knex');
const storage = require('../lib/storage');

const connection = new IORedis(process.env.REDIS_URL, { maxRetriesPerRequest: null });
const exportQueue = new Queue('roster-exports', { connection });
const router = express.Router();

router.post('/clubs/:clubId/seasons/:seasonId/roster-export', async (req, res) => {
  const { clubId, seasonId } = req.params;
  if (req.user.clubId !== Number(clubId)) return res.sendStatus(403);

  const job = await exportQueue.add(
    'roster-csv',
    { clubId: Number(clubId), seasonId: Number(seasonId), requestedBy: req.user.id },
    { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 1000 }
  );
  res.status(202).json({ jobId: job.id, statusUrl: `/exports/${job.id}` });
});

router.get('/exports/:jobId', async (req, res) => {
  const job = await exportQueue.getJob(req.params.jobId);
  if (!job || job.data.clubId !== req.user.clubId) return res.sendStatus(404);
  res.json({ state: await job.getState(), url: job.returnvalue ? job.returnvalue.url : null });
});

// --- worker.js -------------------------------------------------------------
const PAGE = 1000;

new Worker(
  'roster-exports',
  async (job) => {
    const { clubId, seasonId } = job.data;
    const out = storage.createCsvWriter(`rosters/${clubId}/${seasonId}-${job.id}.csv`);
    out.writeHeader(['player', 'birth_year', 'team', 'guardian', 'guardian_phone', 'medical_form']);

    let lastId = 0;
    for (;;) {
      // one batched keyset query per page, players + team + guardian joined in SQL
      const rows = await knex('registrations as r')
        .join('players as p', 'p.id', 'r.player_id')
        .join('teams as t', 't.id', 'r.team_id')
        .leftJoin('guardians as g', 'g.id', 'p.primary_guardian_id')
        .where({ 'r.club_id': clubId, 'r.season_id': seasonId })
        .andWhere('r.id', '>', lastId)
        .orderBy('r.id')
        .limit(PAGE)
        .select('r.id', 'p.full_name', 'p.birth_year', 't.name as team', 'g.full_name as guardian', 'g.phone', 'r.medical_form_ok');
      if (rows.length === 0) break;
      rows.forEach((r) => out.writeRow([r.full_name, r.birth_year, r.team, r.guardian, r.phone, r.medical_form_ok]));
      lastId = rows[rows.length - 1].id;
      await job.updateProgress({ lastId });
    }
    const url = await out.finish();
    return { url };
  },
  { connection, concurrency: 2 }
);

module.exports = router;
