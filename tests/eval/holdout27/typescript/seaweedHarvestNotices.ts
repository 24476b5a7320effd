// src/routes/harvestNotices.ts
// Seaweed harvesters must file a notice before each trip (zone, species, expected kg).
// A notice is valid for 72 hours; wardens see the live notices on their patrol map.
// Also: annual landings export for the harbour authority's return.
// harvest-api runs on 3 pods in the authorities' shared cluster.

import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { db } from '../db/knex';
import { logger } from '../logger';
import { requireHarvester, requireStaff } from '../auth';

export const harvestRouter = Router();

type ExportJob = { id: string; authorityId: number; year: number; status: 'running' | 'done' | 'failed'; exportId?: number };

const exportJobs = new Map<string, ExportJob>();

// POST /notices { licenceId, zone, species, expectedKg }
harvestRouter.post('/notices', requireHarvester, async (req, res, next) => {
  const { licenceId, zone, species, expectedKg } = req.body as {
    licenceId: number; zone: string; species: string; expectedKg: number;
  };
  try {
    const [notice] = await db('harvest_notices')
      .insert({
        authority_id: req.user.authorityId,
        licence_id: licenceId,
        zone,
        species,
        expected_kg: expectedKg,
        filed_at: db.fn.now(),
        expires_at: db.raw(`now() + interval '72 hours'`),
      })
      .returning(['id', 'zone', 'species', 'expires_at']);
    res.status(201).json(notice);
  } catch (err) {
    next(err);
  }
});

// GET /notices/live?zone=... — warden patrol map
harvestRouter.get('/notices/live', requireStaff, async (req, res, next) => {
  try {
    const rows = await db('harvest_notices')
      .where({ authority_id: req.user.authorityId })
      .andWhere('expires_at', '>', db.fn.now())
      .modify((q) => { if (req.query.zone) q.andWhere({ zone: String(req.query.zone) }); })
      .orderBy('expires_at')
      .limit(200)
      .select('id', 'licence_id', 'zone', 'species', 'expected_kg', 'expires_at');
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

async function buildLandingsExport(job: ExportJob) {
  const lines = ['licence_number,landed_on,species,weight_kg'];
  let lastId = 0;
  for (;;) {
    const batch = await db('harvest_landings as h')
      .join('harvest_licences as l', 'l.id', 'h.licence_id')
      .where('l.authority_id', job.authorityId)
      .andWhereRaw('extract(year from h.landed_on) = ?', [job.year])
      .andWhere('h.id', '>', lastId)
      .orderBy('h.id')
      .limit(1000)
      .select('h.id', 'l.licence_number', 'h.landed_on', 'h.species', 'h.weight_kg');
    if (batch.length === 0) break;
    for (const r of batch) lines.push(`${r.licence_number},${r.landed_on.toISOString().slice(0, 10)},${r.species},${r.weight_kg}`);
    lastId = batch[batch.length - 1].id;
  }
  const [saved] = await db('harvest_exports')
    .insert({ authority_id: job.authorityId, year: job.year, csv: lines.join('\n') })
    .returning('id');
  return saved.id as number;
}

// POST /exports { year } -> 202 { jobId }; poll GET /exports/:jobId
harvestRouter.post('/exports', requireStaff, (req, res) => {
  const job: ExportJob = { id: randomUUID(), authorityId: req.user.authorityId, year: Number(req.body.year), status: 'running' };
  exportJobs.set(job.id, job);
  setTimeout(() => exportJobs.delete(job.id), 60 * 60_000).unref();

  buildLandingsExport(job)
    .then((exportId) => Object.assign(job, { status: 'done', exportId }))
    .catch((err) => {
      logger.error({ err, jobId: job.id }, 'landings export failed');
      job.status = 'failed';
    });

  res.status(202).json({ jobId: job.id });
});

harvestRouter.get('/exports/:jobId', requireStaff, (req, res) => {
  const job = exportJobs.get(req.params.jobId);
  if (!job || job.authorityId !== req.user.authorityId) return res.sendStatus(404);
  res.json({ status: job.status, downloadUrl: job.exportId ? `/exports/${job.exportId}/download` : null });
});
