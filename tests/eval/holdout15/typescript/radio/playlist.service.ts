/**
 * Here's how you can add Redis caching to the "up next / most played" endpoint so the
 * heavy plays aggregation no longer runs on every request.
 *
 * - `ioredis` client is created once and shared.
 * - Results are cached for 5 minutes (the rotation only changes when the music
 *   director publishes a new clock, so a short TTL is plenty).
 * - Cache failures fall back to the database so a Redis blip never breaks the app.
 */
import Redis from 'ioredis';
import { Router, Request, Response, NextFunction } from 'express';
import { pool } from '../db';
import { logger } from '../logger';

const redis = new Redis(process.env.REDIS_URL!, { connectTimeout: 2000, commandTimeout: 500, maxRetriesPerRequest: 1 });
const TTL_SECONDS = 300;

export interface RotationTrack {
  trackId: number;
  title: string;
  artist: string;
  plays7d: number;
  lastPlayed: string;
}

async function loadRotation(stationId: number): Promise<RotationTrack[]> {
  // ~40M rows in plays across all stations
  const { rows } = await pool.query(
    `SELECT t.id AS "trackId", t.title, t.artist,
            COUNT(*) AS "plays7d", MAX(p.played_at) AS "lastPlayed"
       FROM plays p
       JOIN tracks t ON t.id = p.track_id
      WHERE p.station_id = $1 AND p.played_at > now() - interval '7 days'
      GROUP BY t.id, t.title, t.artist
      ORDER BY COUNT(*) DESC
      LIMIT 100`,
    [stationId],
  );
  return rows;
}

export async function getRotation(stationId: number, listenerId: string): Promise<RotationTrack[]> {
  const cacheKey = `rotation:${stationId}:${listenerId}`;

  try {
    const hit = await redis.get(cacheKey);
    if (hit) return JSON.parse(hit) as RotationTrack[];
  } catch (err) {
    logger.warn({ err }, 'redis get failed, falling back to db');
  }

  const rotation = await loadRotation(stationId);

  try {
    await redis.set(cacheKey, JSON.stringify(rotation), 'EX', TTL_SECONDS);
  } catch (err) {
    logger.warn({ err }, 'redis set failed');
  }
  return rotation;
}

export const rotationRouter = Router();

// GET /stations/:id/rotation  (listener app, ~15k concurrent during morning drive)
rotationRouter.get('/stations/:id/rotation', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const stationId = Number(req.params.id);
    const listenerId = (req as any).listener?.id ?? 'anon';
    res.json(await getRotation(stationId, listenerId));
  } catch (err) {
    next(err);
  }
});
