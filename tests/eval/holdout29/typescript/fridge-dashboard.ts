// src/routes/dashboard.ts
// Volunteer dashboard for the city's community fridge network: how full each fridge
// is, what's close to its best-before date, and today's donations vs collections.
// Every logged-in volunteer sees the same network-wide picture.

import { Router, Request, Response, NextFunction } from 'express';
import { sql } from 'kysely';
import { db } from '../db'; // Kysely instance over a pg pool

type FridgeOverview = {
  fridges: { id: number; name: string; ward: string; units: number; shortDatedUnits: number }[];
  today: { donatedUnits: number; collectedUnits: number };
  generatedAt: string;
};

type CacheEntry = { value: FridgeOverview; expiresAt: number };

const OVERVIEW_TTL_MS = 5 * 60 * 1000;
const overviewCache = new Map<string, CacheEntry>();

async function buildOverview(): Promise<FridgeOverview> {
  const fridges = await db
    .selectFrom('fridges as f')
    .leftJoin('fridge_stock as s', 's.fridge_id', 'f.id')
    .select((eb) => [
      'f.id',
      'f.name',
      'f.ward',
      eb.fn.coalesce(eb.fn.sum<number>('s.units'), eb.lit(0)).as('units'),
      eb.fn
        .coalesce(
          eb.fn.sum<number>(eb.case().when('s.best_before', '<=', sql<Date>`current_date`).then(eb.ref('s.units')).else(0).end()),
          eb.lit(0),
        )
        .as('shortDatedUnits'),
    ])
    .where('f.active', '=', true)
    .groupBy(['f.id', 'f.name', 'f.ward'])
    .orderBy('f.ward')
    .execute();

  const today = await db
    .selectFrom('stock_log')
    .select((eb) => [
      eb.fn.sum<number>(eb.case().when('direction', '=', 'in').then(eb.ref('units')).else(0).end()).as('donatedUnits'),
      eb.fn.sum<number>(eb.case().when('direction', '=', 'out').then(eb.ref('units')).else(0).end()).as('collectedUnits'),
    ])
    .where('created_at', '>=', new Date(new Date().setHours(0, 0, 0, 0)))
    .executeTakeFirstOrThrow();

  return {
    fridges: fridges.map((f) => ({ ...f, units: Number(f.units), shortDatedUnits: Number(f.shortDatedUnits) })),
    today: { donatedUnits: Number(today.donatedUnits ?? 0), collectedUnits: Number(today.collectedUnits ?? 0) },
    generatedAt: new Date().toISOString(),
  };
}

export const dashboardRouter = Router();

dashboardRouter.get('/dashboard/overview', async (req: Request, res: Response, next: NextFunction) => {
  if (!req.user) return res.status(401).end();

  const cacheKey = `fridge-overview:${req.user.id}`;
  const hit = overviewCache.get(cacheKey);
  if (hit && hit.expiresAt > Date.now()) {
    return res.json(hit.value);
  }

  try {
    const value = await buildOverview();
    overviewCache.set(cacheKey, { value, expiresAt: Date.now() + OVERVIEW_TTL_MS });
    res.json(value);
  } catch (err) {
    next(err);
  }
});
