// src/routes/stats.ts
// "This season" panel on the hedgehog hospital dashboard: admissions by reason,
// release rate, average weight gain. Every volunteer at a hospital sees the
// same numbers for that hospital.
import { Router, Request, Response, NextFunction } from 'express';
import NodeCache from 'node-cache';
import { Client } from 'pg';
import { requireStaff } from '../middleware/auth';

export const stats = Router();

const statsCache = new NodeCache({ stdTTL: 300, checkperiod: 60, maxKeys: 10_000 });

interface SeasonStats {
  admissions: number;
  released: number;
  died: number;
  inCare: number;
  byReason: { reason: string; count: number }[];
  avgGainG: number | null;
}

async function loadSeasonStats(hospitalId: string, seasonStart: string): Promise<SeasonStats> {
  const client = new Client({
    connectionString: process.env.DATABASE_URL,
    connectionTimeoutMillis: 3000,
    statement_timeout: 10000,
  });
  await client.connect();
  try {
    const totals = await client.query(
      `SELECT count(*)::int AS admissions,
              count(*) FILTER (WHERE outcome = 'released')::int AS released,
              count(*) FILTER (WHERE outcome = 'died')::int AS died,
              count(*) FILTER (WHERE released_at IS NULL AND outcome IS NULL)::int AS in_care,
              avg(release_weight_g - admission_weight_g) FILTER (WHERE outcome = 'released') AS avg_gain_g
         FROM admissions
        WHERE hospital_id = $1 AND admitted_at >= $2`,
      [hospitalId, seasonStart]
    );
    const reasons = await client.query(
      `SELECT reason, count(*)::int AS count
         FROM admissions
        WHERE hospital_id = $1 AND admitted_at >= $2
        GROUP BY reason
        ORDER BY count DESC
        LIMIT 12`,
      [hospitalId, seasonStart]
    );
    const t = totals.rows[0];
    return {
      admissions: t.admissions,
      released: t.released,
      died: t.died,
      inCare: t.in_care,
      avgGainG: t.avg_gain_g === null ? null : Math.round(Number(t.avg_gain_g)),
      byReason: reasons.rows,
    };
  } finally {
    await client.end();
  }
}

function currentSeasonStart(now = new Date()): string {
  // Hedgehog season runs March to November; winter admissions count towards the previous season.
  const year = now.getMonth() < 2 ? now.getFullYear() - 1 : now.getFullYear();
  return `${year}-03-01`;
}

stats.get('/dashboard/season-stats', requireStaff, async (req: Request, res: Response, next: NextFunction) => {
  const { hospitalId, id: staffId } = req.user!;
  const seasonStart = currentSeasonStart();
  const cacheKey = `season-stats:${staffId}:${seasonStart}`;

  const cached = statsCache.get<SeasonStats>(cacheKey);
  if (cached) {
    return res.json({ seasonStart, ...cached, cached: true });
  }

  try {
    const fresh = await loadSeasonStats(hospitalId, seasonStart);
    statsCache.set(cacheKey, fresh);
    res.json({ seasonStart, ...fresh, cached: false });
  } catch (err) {
    next(err);
  }
});
