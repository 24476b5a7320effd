import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import Redis from 'ioredis';
import axios from 'axios';

export interface SectionOccupancy {
  section: string;
  species: string;
  pens: number;
  occupied: number;
  vetChecked: number;
  movementsToday: number;
}

interface Forecast {
  hourly: { time: string[]; temperature_2m: number[]; precipitation: number[] };
}

const BOARD_TTL_SECONDS = 30;

/**
 * Agricultural show: the big occupancy board in the livestock lines and on
 * the stewards' phones. Every screen polls it every few seconds on show days.
 */
@Injectable()
export class PenBoardService {
  private readonly logger = new Logger(PenBoardService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject('REDIS') private readonly redis: Redis,
  ) {}

  async getBoard(showId: string): Promise<SectionOccupancy[]> {
    const key = `pen-board:${showId}`;
    const cached = await this.redis.get(key);
    if (cached) {
      return JSON.parse(cached) as SectionOccupancy[];
    }

    const rows: SectionOccupancy[] = await this.dataSource.query(
      `SELECT p.section,
              p.species,
              count(*)                                        AS pens,
              count(p.entry_id)                               AS occupied,
              count(DISTINCT v.entry_id)                      AS "vetChecked",
              count(DISTINCT m.id) FILTER (WHERE m.moved_at::date = current_date) AS "movementsToday"
         FROM pens p
         LEFT JOIN vet_checks v     ON v.entry_id = p.entry_id AND v.passed
         LEFT JOIN animal_movements m ON m.pen_id = p.id
        WHERE p.show_id = $1
        GROUP BY p.section, p.species
        ORDER BY p.section, p.species`,
      [showId],
    );

    await this.redis.set(key, JSON.stringify(rows), 'EX', BOARD_TTL_SECONDS);
    return rows;
  }

  /** Heat-stress warning for the cattle lines, from the showground's coordinates. */
  async heatWarning(lat: number, lon: number): Promise<{ maxTempC: number; warn: boolean }> {
    const { data } = await axios.get<Forecast>('https://api.open-meteo.com/v1/forecast', {
      params: { latitude: lat, longitude: lon, hourly: 'temperature_2m,precipitation', forecast_days: 1 },
    });

    const maxTempC = Math.max(...data.hourly.temperature_2m);
    if (maxTempC >= 27) {
      this.logger.warn(`Heat stress risk at showground: ${maxTempC}°C forecast`);
    }
    return { maxTempC, warn: maxTempC >= 27 };
  }
}
