/**
 * Great question! Computing the tutor leaderboard on every page view means
 * Postgres aggregates every session and review each time, which is why the
 * homepage got slow once you passed ~400k sessions.
 *
 * Here's a production-ready version that caches the result in Redis for five
 * minutes, plus an admin endpoint so ops can force a refresh after fixing data.
 */
// src/routes/leaderboard.ts
import { Router, Request, Response, NextFunction } from 'express';
import Redis from 'ioredis';
import { Pool } from 'pg';

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  statement_timeout: 10_000,
});
const redis = new Redis(process.env.REDIS_URL!, { commandTimeout: 1000 });

const LEADERBOARD_KEY = 'leaderboard:tutors:v2';
const TTL_SECONDS = 300;
const ADMIN_IPS = (process.env.ADMIN_IPS ?? '').split(',').filter(Boolean);

interface LeaderboardRow {
  tutorId: number;
  displayName: string;
  subject: string;
  sessions: number;
  avgRating: number;
}

async function computeLeaderboard(): Promise<LeaderboardRow[]> {
  const { rows } = await pool.query<LeaderboardRow>(
    `SELECT t.id AS "tutorId", t.display_name AS "displayName", t.primary_subject AS subject,
            COUNT(DISTINCT s.id)::int AS sessions,
            ROUND(AVG(r.stars)::numeric, 2)::float AS "avgRating"
       FROM tutors t
       JOIN sessions s ON s.tutor_id = t.id AND s.status = 'completed'
       LEFT JOIN reviews r ON r.session_id = s.id
      WHERE s.completed_at > now() - interval '90 days'
      GROUP BY t.id
     HAVING COUNT(DISTINCT s.id) >= 10
      ORDER BY "avgRating" DESC, sessions DESC
      LIMIT 50`,
  );
  return rows;
}

export const leaderboardRouter = Router();

leaderboardRouter.get('/leaderboard', async (_req: Request, res: Response, next: NextFunction) => {
  try {
    const cached = await redis.get(LEADERBOARD_KEY);
    if (cached) {
      return res.json(JSON.parse(cached));
    }

    const board = await computeLeaderboard();
    await redis.set(LEADERBOARD_KEY, JSON.stringify(board), 'EX', TTL_SECONDS);
    res.json(board);
  } catch (err) {
    next(err);
  }
});

/** Only callable from the office VPN egress addresses. */
function officeOnly(req: Request, res: Response, next: NextFunction) {
  const forwarded = req.headers['x-forwarded-for'];
  const clientIp = (Array.isArray(forwarded) ? forwarded[0] : forwarded ?? req.socket.remoteAddress ?? '')
    .split(',')[0]
    .trim();
  if (!ADMIN_IPS.includes(clientIp)) {
    return res.status(403).json({ error: 'forbidden' });
  }
  next();
}

leaderboardRouter.post('/admin/leaderboard/refresh', officeOnly, async (_req, res, next) => {
  try {
    const board = await computeLeaderboard();
    await redis.set(LEADERBOARD_KEY, JSON.stringify(board), 'EX', TTL_SECONDS);
    res.json({ refreshed: true, entries: board.length });
  } catch (err) {
    next(err);
  }
});

/**
 * Key improvements:
 * - ✅ Leaderboard is computed at most once every 5 minutes
 * - ✅ Pool created once and reused
 * - ✅ Admin refresh restricted to office IPs
 */
