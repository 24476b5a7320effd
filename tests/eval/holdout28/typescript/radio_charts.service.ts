// services/chartsService.ts
// Community radio "listener charts": most-played tracks per week across all stations on the
// network, plus show metadata lookups used by the now-playing widget.
import Redis from 'ioredis';
import { Pool } from 'pg';
import { logger } from '../logger';

export interface ChartEntry {
  rank: number;
  artist: string;
  title: string;
  plays: number;
  stations: number;
}

export interface ShowMeta {
  id: string;
  stationId: string;
  title: string;
  presenter: string;
  artworkUrl: string | null;
}

const CHARTS_KEY = 'charts:weekly:v2';
const CHARTS_TTL_S = 600;

// Show metadata rarely changes; keep it in memory so the now-playing widget does not hit
// Postgres on every poll.
const showMetaById = new Map<string, ShowMeta>();

export class ChartsService {
  constructor(private readonly pool: Pool, private readonly redis: Redis) {}

  async weeklyChart(): Promise<ChartEntry[]> {
    const cached = await this.redis.get(CHARTS_KEY);
    if (cached) return JSON.parse(cached) as ChartEntry[];

    // Aggregates ~4M play-log rows for the trailing 7 days; takes 6-9 s on the replica.
    const { rows } = await this.pool.query<ChartEntry>(
      `SELECT row_number() OVER (ORDER BY count(*) DESC)::int AS rank,
              p.artist, p.title,
              count(*)::int AS plays,
              count(DISTINCT p.station_id)::int AS stations
         FROM play_log p
        WHERE p.played_at >= now() - interval '7 days'
          AND p.is_music
        GROUP BY p.artist, p.title
        ORDER BY plays DESC
        LIMIT 40`,
    );
    await this.redis.set(CHARTS_KEY, JSON.stringify(rows), 'EX', CHARTS_TTL_S);
    return rows;
  }

  async showMeta(stationId: string, showId: string): Promise<ShowMeta | null> {
    const hit = showMetaById.get(showId);
    if (hit && hit.stationId === stationId) return hit;

    const { rows } = await this.pool.query<ShowMeta>(
      `SELECT id, station_id AS "stationId", title, presenter_name AS presenter, artwork_url AS "artworkUrl"
         FROM shows
        WHERE id = $1 AND station_id = $2`,
      [showId, stationId],
    );
    if (rows.length === 0) return null;
    showMetaById.set(showId, rows[0]);
    return rows[0];
  }

  async recordPlay(stationId: string, artist: string, title: string, isMusic: boolean) {
    try {
      await this.pool.query(
        'INSERT INTO play_log (station_id, artist, title, is_music, played_at) VALUES ($1, $2, $3, $4, now())',
        [stationId, artist, title, isMusic],
      );
    } catch (err) {
      logger.error({ err, stationId }, 'failed to record play');
      throw err;
    }
  }
}
