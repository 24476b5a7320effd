import type { Request, Response, NextFunction } from 'express';
import { Router } from 'express';
import Redis from 'ioredis';
import { Pool } from 'pg';

export interface RegionSummary {
  regionId: string;
  stations: { stationId: string; highWater: number; lowWater: number; lastReadingAt: string }[];
}

export interface NetworkOverview {
  generatedAt: string;
  regions: { regionId: string; p99Level: number; meanSurge: number; samples: number }[];
}

// Read models for the tide-gauge dashboard that every harbour office opens on
// their wall screen. Backed by the shared Redis and the telemetry database.
export class TideSummaryService {
  constructor(private readonly redis: Redis, private readonly pool: Pool) {}

  async regionSummary(userId: string, regionId: string): Promise<RegionSummary> {
    const key = `tide:region:${regionId}:user:${userId}`;
    const hit = await this.redis.get(key);
    if (hit) return JSON.parse(hit) as RegionSummary;

    const { rows } = await this.pool.query(
      `SELECT station_id, max(level_m) AS high_water, min(level_m) AS low_water, max(observed_at) AS last_at
         FROM tide_readings
        WHERE region_id = $1 AND observed_at > now() - interval '24 hours'
        GROUP BY station_id
        ORDER BY station_id`,
      [regionId],
    );
    const summary: RegionSummary = {
      regionId,
      stations: rows.map((r) => ({
        stationId: r.station_id,
        highWater: Number(r.high_water),
        lowWater: Number(r.low_water),
        lastReadingAt: r.last_at.toISOString(),
      })),
    };
    await this.redis.set(key, JSON.stringify(summary), 'EX', 120);
    return summary;
  }

  async networkOverview(): Promise<NetworkOverview> {
    const cached = await this.redis.get('tide:network-overview');
    if (cached) return JSON.parse(cached) as NetworkOverview;

    // 30 days of one-minute readings from ~140 gauges against the predictions.
    const { rows } = await this.pool.query(
      `SELECT s.region_id,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY r.level_m) AS p99_level,
              avg(r.level_m - p.predicted_m) AS mean_surge,
              count(*) AS samples
         FROM tide_readings r
         JOIN stations s ON s.id = r.station_id
         JOIN tide_predictions p ON p.station_id = r.station_id AND p.at = date_trunc('minute', r.observed_at)
        WHERE r.observed_at > now() - interval '30 days'
        GROUP BY s.region_id`,
    );
    const overview: NetworkOverview = {
      generatedAt: new Date().toISOString(),
      regions: rows.map((r) => ({
        regionId: r.region_id,
        p99Level: Number(r.p99_level),
        meanSurge: Number(r.mean_surge),
        samples: Number(r.samples),
      })),
    };
    await this.redis.set('tide:network-overview', JSON.stringify(overview), 'EX', 600);
    return overview;
  }
}

export function dashboardRoutes(service: TideSummaryService): Router {
  const router = Router();
  router.get('/dashboard/overview', async (_req: Request, res: Response, next: NextFunction) => {
    try {
      res.json(await service.networkOverview());
    } catch (err) {
      next(err);
    }
  });
  router.get('/dashboard/regions/:regionId', async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.json(await service.regionSummary(req.user!.id, req.params.regionId));
    } catch (err) {
      next(err);
    }
  });
  return router;
}
