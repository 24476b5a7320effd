// src/meters/meter-dashboard.service.ts
// Municipal water utility: customer usage charts + the ops "district overview" wall screen.
// k8s: 4 replicas (helm values.yaml replicaCount: 4). The wall screens (about 30 tabs open across
// the ops centre and district depots) poll /districts/overview every 30 s.
import { Controller, Get, Injectable, Logger, Param, Query, UseGuards } from '@nestjs/common';
import { Client } from 'pg';
import { UtilityGuard, UtilityId } from '../auth/utility.guard';

export interface ConsumptionPoint {
  day: string;
  usedM3: number;
}

@Injectable()
export class MeterDashboardService {
  private readonly logger = new Logger(MeterDashboardService.name);
  private readonly consumptionCache: Record<string, ConsumptionPoint[]> = {};

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: process.env.DATABASE_URL, statement_timeout: 20000 });
    await client.connect();
    return client;
  }

  /** Daily consumption for one meter between two dates (customer portal chart). */
  async consumption(utilityId: string, meterId: string, from: string, to: string): Promise<ConsumptionPoint[]> {
    const key = `${utilityId}:${meterId}:${from}:${to}`;
    if (this.consumptionCache[key]) return this.consumptionCache[key];

    const client = await this.connect();
    try {
      const { rows } = await client.query(
        `SELECT date_trunc('day', read_at)::date::text AS day,
                (MAX(register_m3) - MIN(register_m3))::float AS "usedM3"
           FROM meter_readings
          WHERE utility_id = $1 AND meter_id = $2 AND read_at >= $3 AND read_at < $4
          GROUP BY 1 ORDER BY 1`,
        [utilityId, meterId, from, to],
      );
      this.consumptionCache[key] = rows;
      return rows;
    } finally {
      await client.end();
    }
  }

  /** Per-district totals, leak flags and meter counts for the last 30 days. */
  async districtOverview(utilityId: string) {
    const client = await this.connect();
    try {
      const overview = await client.query(
        `SELECT d.id, d.name,
                COUNT(DISTINCT m.id)                         AS meters,
                SUM(r.delta_m3)                              AS used_m3_30d,
                COUNT(*) FILTER (WHERE r.leak_flag)          AS leak_reads,
                COUNT(DISTINCT m.id) FILTER (WHERE m.last_read_at < now() - interval '3 days') AS silent_meters
           FROM districts d
           JOIN meters m          ON m.district_id = d.id
           JOIN meter_readings r  ON r.meter_id = m.id AND r.read_at > now() - interval '30 days'
          WHERE d.utility_id = $1
          GROUP BY d.id, d.name
          ORDER BY used_m3_30d DESC`,
        [utilityId],
      );
      return overview.rows;
    } finally {
      await client.end();
    }
  }
}

@Controller()
@UseGuards(UtilityGuard)
export class MeterDashboardController {
  constructor(private readonly svc: MeterDashboardService) {}

  @Get('meters/:meterId/consumption')
  consumption(
    @UtilityId() utilityId: string,
    @Param('meterId') meterId: string,
    @Query('from') from: string,
    @Query('to') to: string,
  ) {
    return this.svc.consumption(utilityId, meterId, from, to);
  }

  @Get('districts/overview')
  overview(@UtilityId() utilityId: string) {
    return this.svc.districtOverview(utilityId);
  }
}
