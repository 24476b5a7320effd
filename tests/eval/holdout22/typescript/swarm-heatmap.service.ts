// src/swarms/swarm-heatmap.service.ts
// Public "swarm season" map on the beekeeping association's website, plus the
// postcode lookup used when someone reports a swarm by postcode only.

import { Injectable, Logger } from "@nestjs/common";
import { InjectRedis } from "@nestjs-modules/ioredis";
import Redis from "ioredis";
import { DataSource } from "typeorm";
import { HttpService } from "@nestjs/axios";
import { firstValueFrom } from "rxjs";

export interface HeatCell {
  h3: string;
  reports: number;
  collected: number;
  medianHoursToCollect: number | null;
}

const HEATMAP_KEY = "swarms:heatmap:season";
const HEATMAP_TTL_SECONDS = 300;

// Postcode -> centroid. Postcodes don't move, so keep what we've looked up.
const postcodeCentroids = new Map<string, { lat: number; lng: number }>();

@Injectable()
export class SwarmHeatmapService {
  private readonly logger = new Logger(SwarmHeatmapService.name);

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly dataSource: DataSource,
    private readonly http: HttpService,
  ) {}

  async seasonHeatmap(): Promise<HeatCell[]> {
    const cached = await this.redis.get(HEATMAP_KEY);
    if (cached) {
      return JSON.parse(cached) as HeatCell[];
    }

    // Aggregates every report since 1 March over H3 resolution-7 cells;
    // about 8-12 s on the production replica in June.
    const started = Date.now();
    const cells: HeatCell[] = await this.dataSource.query(
      `SELECT h3_lat_lng_to_cell(point(r.lng, r.lat), 7)::text AS h3,
              count(*)                                         AS reports,
              count(*) FILTER (WHERE r.status = 'COLLECTED')   AS collected,
              percentile_cont(0.5) WITHIN GROUP (
                ORDER BY extract(epoch FROM r.collected_at - r.created_at) / 3600
              ) FILTER (WHERE r.collected_at IS NOT NULL)      AS "medianHoursToCollect"
         FROM swarm_reports r
        WHERE r.created_at >= date_trunc('year', now()) + interval '2 months'
        GROUP BY 1`,
    );
    this.logger.log(`heatmap rebuilt: ${cells.length} cells in ${Date.now() - started} ms`);

    await this.redis.set(HEATMAP_KEY, JSON.stringify(cells), "EX", HEATMAP_TTL_SECONDS);
    return cells;
  }

  async centroidForPostcode(raw: string): Promise<{ lat: number; lng: number } | null> {
    const postcode = raw.replace(/\s+/g, "").toUpperCase();
    const known = postcodeCentroids.get(postcode);
    if (known) return known;

    const { data } = await firstValueFrom(
      this.http.get(`https://api.postcodes.io/postcodes/${encodeURIComponent(postcode)}`, {
        timeout: 3000,
        validateStatus: (s) => s === 200 || s === 404,
      }),
    );
    if (!data?.result) return null;

    const centroid = { lat: data.result.latitude as number, lng: data.result.longitude as number };
    postcodeCentroids.set(postcode, centroid);
    return centroid;
  }
}
