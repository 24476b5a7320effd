// src/routes/leaderboard.ts
// Live leaderboard for the shearing championships, shown on the big screen in the
// marquee and on everyone's phones during the finals.

import { Router, Request, Response, NextFunction } from 'express';
import axios from 'axios';
import Redis from 'ioredis';
import { pool } from '../db';

export const leaderboardRouter = Router();

const redis = new Redis(process.env.REDIS_URL!, { connectTimeout: 5000, commandTimeout: 1500 });
const registry = axios.create({ baseURL: process.env.JUDGES_REGISTRY_URL, timeout: 3000 });

interface JudgeProfile {
  id: string;
  name: string;
  panel: string;
  accreditedSince: number;
}

// judge profiles rarely change during a show
const judgeProfiles = new Map<string, JudgeProfile>();

async function getJudges(judgeIds: string[]): Promise<JudgeProfile[]> {
  const missing = judgeIds.filter((id) => !judgeProfiles.has(id));
  if (missing.length > 0) {
    // the registry takes a comma-separated id list and answers in one call
    const { data } = await registry.get<JudgeProfile[]>('/judges', { params: { ids: missing.join(',') } });
    for (const judge of data) judgeProfiles.set(judge.id, judge);
  }
  return judgeIds.map((id) => judgeProfiles.get(id)).filter((j): j is JudgeProfile => j !== undefined);
}

// Points: time points + pen (second-cut / skin) points + board judging, lower is better.
async function computeLeaderboard(showId: string, classCode: string) {
  const { rows } = await pool.query(
    `SELECT e.shearer_id, s.name, s.club,
            COUNT(r.id) AS runs,
            SUM(r.time_points + r.pen_points + r.board_points) AS total_points,
            MIN(r.time_seconds) AS fastest_run,
            AVG(r.pen_points)::numeric(6,2) AS avg_pen
       FROM shearing_runs r
       JOIN shearing_entries e ON e.id = r.entry_id
       JOIN shearers s ON s.id = e.shearer_id
      WHERE e.show_id = $1 AND e.class_code = $2 AND r.status = 'scored'
      GROUP BY e.shearer_id, s.name, s.club
      ORDER BY total_points ASC
      LIMIT 50`,
    [showId, classCode],
  );
  return rows;
}

// GET /shows/:showId/classes/:classCode/leaderboard
leaderboardRouter.get(
  '/shows/:showId/classes/:classCode/leaderboard',
  async (req: Request, res: Response, next: NextFunction) => {
    const { showId, classCode } = req.params;
    const key = `leaderboard:${showId}:${classCode}`;
    try {
      const cached = await redis.get(key);
      if (cached) {
        return res.type('application/json').send(cached);
      }
      const rows = await computeLeaderboard(showId, classCode);
      const body = JSON.stringify({ showId, classCode, updatedAt: new Date().toISOString(), rows });
      await redis.set(key, body, 'EX', 15);
      res.type('application/json').send(body);
    } catch (err) {
      next(err);
    }
  },
);

// GET /shows/:showId/heats/:heatId/judges — judging panel shown under each heat
leaderboardRouter.get('/shows/:showId/heats/:heatId/judges', async (req, res, next) => {
  try {
    const { rows } = await pool.query<{ judge_ids: string[] }>(
      'SELECT judge_ids FROM shearing_heats WHERE show_id = $1 AND id = $2',
      [req.params.showId, req.params.heatId],
    );
    if (rows.length === 0) return res.sendStatus(404);
    const judges = await getJudges(rows[0].judge_ids.slice(0, 6));
    res.json(judges);
  } catch (err) {
    next(err);
  }
});
