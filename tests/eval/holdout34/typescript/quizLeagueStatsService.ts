// src/services/quizLeagueStatsService.ts
// Pub quiz league: the weekly league table and the season stats page.
// Both are read far more often than scores change (scores are entered once a
// week per pub), so results are cached in Redis.

import Redis from "ioredis";
import { Pool } from "pg";

export interface LeagueRow {
  teamId: number;
  teamName: string;
  pub: string;
  played: number;
  points: number;
}

export interface SeasonStats {
  bestRound: { teamName: string; points: number; roundName: string } | null;
  averagePerRound: number;
  hardestCategory: string | null;
  medianWinningMargin: number;
}

const TABLE_TTL = 300;
const STATS_TTL = 600;

export class QuizLeagueStatsService {
  constructor(private readonly redis: Redis, private readonly db: Pool) {}

  /**
   * League table for the signed-in captain. The current user's team row is
   * highlighted by the frontend.
   */
  async leagueTableFor(leagueId: number, viewerUserId: number): Promise<LeagueRow[]> {
    const key = `quiz:league:${leagueId}:table:user:${viewerUserId}`;
    const cached = await this.redis.get(key);
    if (cached) return JSON.parse(cached) as LeagueRow[];

    const { rows } = await this.db.query<LeagueRow>(
      `SELECT t.id AS "teamId", t.name AS "teamName", t.pub_name AS pub,
              COUNT(s.id)::int AS played, COALESCE(SUM(s.points), 0)::int AS points
         FROM quiz_teams t
         LEFT JOIN quiz_scores s ON s.team_id = t.id
        WHERE t.league_id = $1
        GROUP BY t.id
        ORDER BY points DESC, t.name
        LIMIT 30`,
      [leagueId]
    );
    await this.redis.set(key, JSON.stringify(rows), "EX", TABLE_TTL);
    return rows;
  }

  /** Season stats page; the queries scan every answer ever marked in the season. */
  async seasonStats(leagueId: number, season: number): Promise<SeasonStats> {
    const statsKey = `quiz:league:${leagueId}:season:${season}:stats`;
    const hit = await this.redis.get(statsKey);
    if (hit) return JSON.parse(hit) as SeasonStats;

    const [best, avg, category, margin] = await Promise.all([
      this.db.query(
        `SELECT t.name AS "teamName", s.points, r.name AS "roundName"
           FROM quiz_scores s JOIN quiz_teams t ON t.id = s.team_id JOIN quiz_rounds r ON r.id = s.round_id
          WHERE r.league_id = $1 AND r.season = $2
          ORDER BY s.points DESC LIMIT 1`,
        [leagueId, season]
      ),
      this.db.query(
        `SELECT AVG(s.points)::float AS avg FROM quiz_scores s JOIN quiz_rounds r ON r.id = s.round_id
          WHERE r.league_id = $1 AND r.season = $2`,
        [leagueId, season]
      ),
      this.db.query(
        `SELECT q.category, AVG(CASE WHEN a.correct THEN 1 ELSE 0 END) AS hit_rate
           FROM quiz_answers a JOIN quiz_questions q ON q.id = a.question_id JOIN quiz_rounds r ON r.id = q.round_id
          WHERE r.league_id = $1 AND r.season = $2
          GROUP BY q.category ORDER BY hit_rate ASC LIMIT 1`,
        [leagueId, season]
      ),
      this.db.query(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY margin) AS median
           FROM (SELECT r.id, MAX(s.points) - (array_agg(s.points ORDER BY s.points DESC))[2] AS margin
                   FROM quiz_scores s JOIN quiz_rounds r ON r.id = s.round_id
                  WHERE r.league_id = $1 AND r.season = $2
                  GROUP BY r.id) m`,
        [leagueId, season]
      ),
    ]);

    const stats: SeasonStats = {
      bestRound: best.rows[0] ?? null,
      averagePerRound: Number(avg.rows[0]?.avg ?? 0),
      hardestCategory: category.rows[0]?.category ?? null,
      medianWinningMargin: Number(margin.rows[0]?.median ?? 0),
    };
    await this.redis.set(statsKey, JSON.stringify(stats), "EX", STATS_TTL);
    return stats;
  }
}
