// src/routes/dashboard.ts — organ donor registry lookup service
// Hospital transplant coordinators search the registry for a potential
// donor's recorded decision. These endpoints feed the coordinator dashboard
// that opens on login and refreshes every 60 s.

import { Router, Request, Response, NextFunction } from "express";
import type { Pool } from "pg";
import type Redis from "ioredis";

interface AuthedRequest extends Request {
  user: { id: string; hospitalId: string; role: "coordinator" | "auditor" };
}

const NATIONAL_STATS_TTL_SECONDS = 15 * 60;

export function dashboardRouter(db: Pool, redis: Redis): Router {
  const router = Router();

  // National opt-in / opt-out totals by region, from the nightly registry import.
  router.get("/dashboard/national", async (req: Request, res: Response, next: NextFunction) => {
    const { user } = req as AuthedRequest;
    try {
      const cacheKey = `national-consent-stats:${user.id}`;
      const cached = await redis.get(cacheKey);
      if (cached) {
        return res.type("application/json").send(cached);
      }

      const { rows } = await db.query(
        `SELECT region, decision, registrations, as_of
           FROM registry_region_totals
          WHERE as_of = (SELECT max(as_of) FROM registry_region_totals)
          ORDER BY region, decision`,
      );
      const payload = JSON.stringify({ regions: rows });
      await redis.set(cacheKey, payload, "EX", NATIONAL_STATS_TTL_SECONDS);
      res.type("application/json").send(payload);
    } catch (err) {
      next(err);
    }
  });

  // The hospital's own lookup activity: volumes per month, hit rate and
  // response time percentiles for the last year.
  router.get("/dashboard/hospital", async (req: Request, res: Response, next: NextFunction) => {
    const { user } = req as AuthedRequest;
    try {
      const { rows } = await db.query(
        `SELECT date_trunc('month', l.looked_up_at)                       AS month,
                count(*)                                                    AS lookups,
                count(*) FILTER (WHERE l.match_status = 'MATCHED')          AS matched,
                count(DISTINCT l.patient_nhs_hash)                          AS distinct_patients,
                percentile_cont(0.5)  WITHIN GROUP (ORDER BY l.response_ms) AS p50_ms,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY l.response_ms) AS p95_ms
           FROM registry_lookups l
          WHERE l.hospital_id = $1
            AND l.looked_up_at >= now() - interval '12 months'
          GROUP BY 1
          ORDER BY 1`,
        [user.hospitalId],
      );
      res.json({ months: rows });
    } catch (err) {
      next(err);
    }
  });

  // Recent lookups by this coordinator, for the "pick up where you left off" list.
  router.get("/dashboard/recent", async (req: Request, res: Response, next: NextFunction) => {
    const { user } = req as AuthedRequest;
    try {
      const { rows } = await db.query(
        `SELECT id, looked_up_at, match_status, decision_summary
           FROM registry_lookups
          WHERE hospital_id = $1 AND coordinator_id = $2
          ORDER BY looked_up_at DESC
          LIMIT 20`,
        [user.hospitalId, user.id],
      );
      res.json({ recent: rows });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
