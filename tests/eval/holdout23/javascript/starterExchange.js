// services/starterCatalogue.js
// Public catalogue for the sourdough starter exchange: which starters are up
// for swapping in each region, with flour, hydration and lineage. The data is
// the same for every visitor, so it is cached per region (a fixed list).
const express = require('express');
const NodeCache = require('node-cache');
const { PrismaClient } = require('@prisma/client');
const logger = require('../lib/logger');

const prisma = new PrismaClient(); // one client per process; it pools connections

const REGIONS = new Set(['north-east', 'north-west', 'midlands', 'wales', 'south-west', 'south-east', 'scotland']);

const catalogueCache = new NodeCache({ stdTTL: 120, checkperiod: 60, maxKeys: 50, useClones: false });
// region -> promise of a rebuild in progress; removed as soon as it settles
const rebuilding = new Map();

function startOfMonth() {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), 1);
}

async function buildCatalogue(region) {
  const starters = await prisma.starter.findMany({
    where: { region, status: 'AVAILABLE' },
    orderBy: { listedAt: 'desc' },
    take: 200,
    select: {
      id: true,
      name: true,
      flour: true,
      hydrationPct: true,
      ageYears: true,
      parentStarterId: true,
      keeper: { select: { displayName: true, town: true } },
    },
  });

  const swapCounts = await prisma.swap.groupBy({
    by: ['starterId'],
    where: { starterId: { in: starters.map((s) => s.id) }, createdAt: { gte: startOfMonth() } },
    _count: { _all: true },
  });
  const swapsById = new Map(swapCounts.map((c) => [c.starterId, c._count._all]));

  return {
    region,
    builtAt: new Date().toISOString(),
    starters: starters.map((s) => ({ ...s, swapsThisMonth: swapsById.get(s.id) || 0 })),
  };
}

// Single-flight: concurrent misses for the same region share one rebuild.
async function getCatalogue(region) {
  const cached = catalogueCache.get(region);
  if (cached) return cached;

  if (!rebuilding.has(region)) {
    const p = buildCatalogue(region)
      .then((data) => {
        catalogueCache.set(region, data);
        return data;
      })
      .finally(() => rebuilding.delete(region));
    rebuilding.set(region, p);
  }
  return rebuilding.get(region);
}

function invalidateRegion(region) {
  catalogueCache.del(region);
}

const router = express.Router();

router.get('/catalogue/:region', async (req, res, next) => {
  const { region } = req.params;
  if (!REGIONS.has(region)) {
    return res.status(404).json({ error: 'unknown region' });
  }
  try {
    const catalogue = await getCatalogue(region);
    res.set('Cache-Control', 'public, max-age=60');
    res.json(catalogue);
  } catch (err) {
    logger.error({ err, region }, 'starter catalogue build failed');
    next(err);
  }
});

module.exports = { router, getCatalogue, invalidateRegion };
