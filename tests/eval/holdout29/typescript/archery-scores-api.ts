// Archery club scoring API: archers submit end-by-end scores from their phones at the
// shooting line; the range screen and the club ladder read them back.
// Deployed on 4 pods (k8s, HPA min 4) behind the club's nginx ingress.

import express, { Request, Response, NextFunction } from 'express';
import { Client } from 'pg';

const app = express();
app.use(express.json({ limit: '32kb' }));

const WINDOW_MS = 60_000;
const MAX_SUBMISSIONS_PER_WINDOW = 40;

const submissionWindows = new Map<string, { count: number; windowStart: number }>();

setInterval(() => {
  const cutoff = Date.now() - WINDOW_MS;
  for (const [key, w] of submissionWindows) {
    if (w.windowStart < cutoff) submissionWindows.delete(key);
  }
}, WINDOW_MS).unref();

function clientKey(req: Request): string {
  const forwarded = req.headers['x-forwarded-for'];
  const first = Array.isArray(forwarded) ? forwarded[0] : forwarded?.split(',')[0];
  return (first ?? req.socket.remoteAddress ?? 'unknown').trim();
}

function limitSubmissions(req: Request, res: Response, next: NextFunction) {
  const key = clientKey(req);
  const now = Date.now();
  const w = submissionWindows.get(key);
  if (!w || now - w.windowStart > WINDOW_MS) {
    submissionWindows.set(key, { count: 1, windowStart: now });
    return next();
  }
  w.count += 1;
  if (w.count > MAX_SUBMISSIONS_PER_WINDOW) {
    res.setHeader('retry-after', Math.ceil((w.windowStart + WINDOW_MS - now) / 1000));
    return res.status(429).json({ error: 'slow down' });
  }
  next();
}

async function withDb<T>(fn: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({
    connectionString: process.env.DATABASE_URL,
    connectionTimeoutMillis: 3000,
    statement_timeout: 5000,
  });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

interface EndScore { sessionId: number; endNo: number; arrows: number[] }

app.post('/ends', limitSubmissions, async (req: Request, res: Response, next: NextFunction) => {
  const { sessionId, endNo, arrows } = req.body as EndScore;
  if (!Array.isArray(arrows) || arrows.length !== 6 || arrows.some((a) => a < 0 || a > 10)) {
    return res.status(400).json({ error: 'an end is six arrows scored 0-10' });
  }
  try {
    const saved = await withDb((db) =>
      db.query(
        `INSERT INTO score_ends (session_id, archer_id, end_no, arrows, total)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (session_id, archer_id, end_no) DO UPDATE SET arrows = EXCLUDED.arrows, total = EXCLUDED.total
         RETURNING id`,
        [sessionId, req.user!.archerId, endNo, arrows, arrows.reduce((a, b) => a + b, 0)],
      ),
    );
    res.status(201).json({ id: saved.rows[0].id });
  } catch (err) {
    next(err);
  }
});

app.get('/sessions/:id/scoreboard', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const { rows } = await withDb((db) =>
      db.query(
        `SELECT a.display_name, sum(e.total)::int AS score, count(*)::int AS ends
           FROM score_ends e JOIN archers a ON a.id = e.archer_id
          WHERE e.session_id = $1
          GROUP BY a.display_name
          ORDER BY score DESC
          LIMIT 40`,
        [Number(req.params.id)],
      ),
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

export default app;
