// src/leaderboard/nets-leaderboard.controller.ts
// Season leaderboard from the bowling-machine nets: balls faced, middled-ball
// percentage, fastest speed faced. Shown on the clubhouse TV and on phones.
// Members on the clubhouse wifi can view it without logging in.
import { Controller, ForbiddenException, Get, Headers, Inject, Injectable, Param, Req } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../redis/redis.module';

const CLUBHOUSE_WIFI_IPS = new Set((process.env.CLUBHOUSE_IPS ?? '').split(',').filter(Boolean));
const LEADERBOARD_TTL_SECONDS = 120;

export interface LeaderboardRow {
  memberId: string;
  name: string;
  ballsFaced: number;
  middledPct: number;
  fastestMph: number;
}

@Injectable()
export class NetsLeaderboardService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async seasonLeaderboard(clubId: string, season: number): Promise<LeaderboardRow[]> {
    const cacheKey = `nets:leaderboard:${clubId}:${season}`;
    const cached = await this.redis.get(cacheKey);
    if (cached) {
      return JSON.parse(cached) as LeaderboardRow[];
    }

    // Aggregates every ball logged by the machine this season (~400k rows by August).
    const rows: LeaderboardRow[] = await this.db.query(
      `SELECT m.id AS "memberId",
              m.display_name AS name,
              count(*)::int AS "ballsFaced",
              round(100.0 * avg(CASE WHEN b.contact = 'middled' THEN 1 ELSE 0 END), 1)::float AS "middledPct",
              max(b.speed_mph)::float AS "fastestMph"
         FROM machine_balls b
         JOIN net_sessions s ON s.id = b.session_id
         JOIN members m ON m.id = s.member_id
        WHERE s.club_id = $1 AND s.season = $2
        GROUP BY m.id, m.display_name
        ORDER BY "ballsFaced" DESC
        LIMIT 50`,
      [clubId, season],
    );

    await this.redis.set(cacheKey, JSON.stringify(rows), 'EX', LEADERBOARD_TTL_SECONDS);
    return rows;
  }
}

@Controller('clubs/:clubId/nets')
export class NetsLeaderboardController {
  constructor(private readonly leaderboard: NetsLeaderboardService) {}

  @Get('leaderboard')
  async getLeaderboard(
    @Param('clubId') clubId: string,
    @Req() req: Request & { user?: { clubId: string } },
    @Headers('x-forwarded-for') forwardedFor?: string,
  ) {
    const clientIp = (forwardedFor ?? req.socket.remoteAddress ?? '').split(',')[0].trim();
    const onClubhouseWifi = CLUBHOUSE_WIFI_IPS.has(clientIp);
    const isMember = req.user?.clubId === clubId;

    if (!isMember && !onClubhouseWifi) {
      throw new ForbiddenException('Log in or join the clubhouse wifi to see the leaderboard');
    }

    const season = new Date().getFullYear();
    const rows = await this.leaderboard.seasonLeaderboard(clubId, season);
    return { clubId, season, rows };
  }
}
