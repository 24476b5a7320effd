// exhibitions/exhibitions.service.ts
// Model-railway exhibition companion app. API runs as 3 replicas (k8s Deployment,
// replicas: 3) behind the ingress; Redis + Postgres are shared.
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';

export interface LayoutStatus {
  layoutId: number;
  running: boolean;
  operator: string;
  since: string;
}

export interface LeaderboardEntry {
  layoutId: number;
  name: string;
  gauge: string;
  votes: number;
  avgStars: number;
}

@Injectable()
export class ExhibitionsService {
  // which layouts are currently running trains, toggled by operators from the hall
  private readonly layoutStatus = new Map<number, LayoutStatus>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  setRunning(layoutId: number, running: boolean, operator: string): LayoutStatus {
    const status: LayoutStatus = { layoutId, running, operator, since: new Date().toISOString() };
    this.layoutStatus.set(layoutId, status);
    return status;
  }

  runningNow(exhibitionLayoutIds: number[]): LayoutStatus[] {
    return exhibitionLayoutIds
      .map((id) => this.layoutStatus.get(id))
      .filter((s): s is LayoutStatus => !!s && s.running);
  }

  /**
   * Visitor's-choice leaderboard for an exhibition. Every phone in the hall
   * polls this every few seconds, so it is cached in Redis for 30 s.
   */
  async leaderboard(exhibitionId: number): Promise<LeaderboardEntry[]> {
    const key = `exh:${exhibitionId}:leaderboard`;
    const cached = await this.redis.get(key);
    if (cached) return JSON.parse(cached);

    const rows: LeaderboardEntry[] = await this.db.query(
      `SELECT l.id AS "layoutId", l.name, l.gauge,
              COUNT(v.id)::int AS votes,
              ROUND(AVG(v.stars)::numeric, 2)::float AS "avgStars"
         FROM layouts l
         JOIN exhibition_layouts el ON el.layout_id = l.id
         LEFT JOIN visitor_votes v ON v.layout_id = l.id AND v.exhibition_id = el.exhibition_id
        WHERE el.exhibition_id = $1
        GROUP BY l.id, l.name, l.gauge
        ORDER BY votes DESC, "avgStars" DESC
        LIMIT 25`,
      [exhibitionId],
    );
    await this.redis.set(key, JSON.stringify(rows), 'EX', 30);
    return rows;
  }

  async castVote(exhibitionId: number, layoutId: number, ticketCode: string, stars: number) {
    // one vote per ticket per layout, enforced by a unique index
    const res = await this.db.query(
      `INSERT INTO visitor_votes (exhibition_id, layout_id, ticket_code, stars)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (exhibition_id, layout_id, ticket_code) DO NOTHING
       RETURNING id`,
      [exhibitionId, layoutId, ticketCode, stars],
    );
    return { accepted: res.length === 1 };
  }

  async layout(exhibitionId: number, layoutId: number) {
    const [row] = await this.db.query(
      `SELECT l.* FROM layouts l
         JOIN exhibition_layouts el ON el.layout_id = l.id
        WHERE el.exhibition_id = $1 AND l.id = $2`,
      [exhibitionId, layoutId],
    );
    if (!row) throw new NotFoundException();
    return row;
  }
}
