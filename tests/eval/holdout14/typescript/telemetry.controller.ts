// src/telemetry/telemetry.controller.ts
// Wind-farm SCADA telemetry API. ~1.2M readings/day across 6 farms (10-second samples).
import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OperatorGuard } from '../auth/operator.guard';
import { ReadingBatchDto } from './dto/reading-batch.dto';

interface SeriesPoint {
  turbineId: number;
  bucket: string;
  avgPowerKw: number;
  maxWindMs: number;
}

// keep computed series around so the charts are snappy when operators flip between tabs
const seriesCache = new Map<string, SeriesPoint[]>();

@UseGuards(OperatorGuard)
@Controller('farms/:farmId')
export class TelemetryController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Post('readings')
  async ingest(@Param('farmId', ParseIntPipe) farmId: number, @Body() batch: ReadingBatchDto) {
    await this.db.query(
      `INSERT INTO turbine_readings (farm_id, turbine_id, ts, power_kw, wind_ms, rotor_rpm, nacelle_temp_c)
       SELECT $1, * FROM unnest($2::int[], $3::timestamptz[], $4::real[], $5::real[], $6::real[], $7::real[])`,
      [
        farmId,
        batch.readings.map((r) => r.turbineId),
        batch.readings.map((r) => r.ts),
        batch.readings.map((r) => r.powerKw),
        batch.readings.map((r) => r.windMs),
        batch.readings.map((r) => r.rotorRpm),
        batch.readings.map((r) => r.nacelleTempC),
      ],
    );
    return { accepted: batch.readings.length };
  }

  // Control-room wall dashboard; every operator screen polls this every 15s
  @Get('dashboard')
  async dashboard(@Param('farmId', ParseIntPipe) farmId: number) {
    const rows = await this.db.query(
      `SELECT t.id AS turbine_id, t.name,
              avg(r.power_kw)                             AS avg_power_kw_30d,
              sum(r.power_kw) * 10 / 3600                 AS energy_kwh_30d,
              count(*) FILTER (WHERE r.power_kw <= 0 AND r.wind_ms > 3.5) * 10 / 3600.0 AS lost_hours_30d,
              max(r.nacelle_temp_c)                       AS max_nacelle_temp_c
         FROM turbines t
         JOIN turbine_readings r ON r.turbine_id = t.id
        WHERE t.farm_id = $1 AND r.ts > now() - interval '30 days'
        GROUP BY t.id, t.name
        ORDER BY t.name`,
      [farmId],
    );
    return { farmId, turbines: rows };
  }

  @Get('series')
  async series(
    @Param('farmId', ParseIntPipe) farmId: number,
    @Query('from') from: string,
    @Query('to') to: string,
    @Query('bucket') bucket = '1 hour',
  ): Promise<SeriesPoint[]> {
    const key = `${farmId}|${from}|${to}|${bucket}`;
    const hit = seriesCache.get(key);
    if (hit) return hit;

    const rows: SeriesPoint[] = await this.db.query(
      `SELECT turbine_id AS "turbineId", time_bucket($4::interval, ts) AS bucket,
              avg(power_kw) AS "avgPowerKw", max(wind_ms) AS "maxWindMs"
         FROM turbine_readings
        WHERE farm_id = $1 AND ts >= $2 AND ts < $3
        GROUP BY 1, 2 ORDER BY 2`,
      [farmId, from, to, bucket],
    );
    seriesCache.set(key, rows);
    return rows;
  }
}
