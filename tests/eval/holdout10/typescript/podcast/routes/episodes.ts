// src/routes/episodes.ts
// Creator dashboard API. Runs behind nginx (proxy_read_timeout 30s) on 2 VMs.
import { Router, Request, Response, NextFunction } from 'express';
import multer from 'multer';
import { Client } from 'pg';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { uploadToBucket } from '../lib/storage';
import { requireCreator } from '../middleware/auth';

const run = promisify(execFile);
const upload = multer({ dest: '/tmp/uploads', limits: { fileSize: 1024 * 1024 * 1024 } });
const router = Router();

const RENDITIONS = [
  { name: 'hq', bitrate: '192k' },
  { name: 'std', bitrate: '128k' },
  { name: 'low', bitrate: '64k' },
];

async function withDb<T>(fn: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

router.post(
  '/shows/:showId/episodes',
  requireCreator,
  upload.single('audio'),
  async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (!req.file) return res.status(400).json({ error: 'audio file is required' });
      const { showId } = req.params;
      const { title, description } = req.body;

      const outputs: Record<string, string> = {};
      for (const r of RENDITIONS) {
        const out = path.join('/tmp/uploads', `${req.file.filename}-${r.name}.mp3`);
        await run('ffmpeg', ['-y', '-i', req.file.path, '-ac', '2', '-b:a', r.bitrate, '-af', 'loudnorm=I=-16', out]);
        outputs[r.name] = await uploadToBucket(out, `shows/${showId}/${path.basename(out)}`);
      }

      const { stdout } = await run('ffprobe', ['-v', 'quiet', '-show_entries', 'format=duration', '-of', 'csv=p=0', req.file.path]);
      const durationSec = Math.round(Number(stdout.trim()));

      const episode = await withDb(async (db) => {
        const { rows } = await db.query(
          `INSERT INTO episodes (show_id, title, description, duration_sec, audio_urls, status)
           VALUES ($1, $2, $3, $4, $5, 'draft') RETURNING id, title, status`,
          [showId, title, description, durationSec, outputs],
        );
        return rows[0];
      });

      res.status(201).json(episode);
    } catch (err) {
      next(err);
    }
  },
);

router.get('/shows/:showId/downloads', requireCreator, async (req, res, next) => {
  try {
    const rows = await withDb(async (db) => {
      const r = await db.query(
        `SELECT d.episode_id, d.downloaded_at, d.country, d.user_agent, d.app
           FROM download_events d
          WHERE d.show_id = $1
          ORDER BY d.downloaded_at DESC`,
        [req.params.showId],
      );
      return r.rows;
    });
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

router.get('/shows/:showId/episodes/:episodeId', requireCreator, async (req, res, next) => {
  try {
    const ep = await withDb(async (db) => {
      const r = await db.query(
        'SELECT id, title, description, duration_sec, audio_urls, status FROM episodes WHERE id = $1 AND show_id = $2',
        [req.params.episodeId, req.params.showId],
      );
      return r.rows[0];
    });
    if (!ep) return res.status(404).json({ error: 'not found' });
    res.json(ep);
  } catch (err) {
    next(err);
  }
});

export default router;
