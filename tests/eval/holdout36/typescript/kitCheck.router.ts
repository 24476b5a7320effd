// kit-check/router.ts
// Fell race kit checks: marshals at registration log in with the race PIN and record each
// runner's mandatory kit (waterproof jacket and trousers with taped seams, hat, gloves, map,
// compass, whistle, emergency food). Served by the kit-check API, which runs on 4 pods.
import express, { Request, Response, NextFunction } from 'express';
import { timingSafeEqual } from 'crypto';
import { pool } from '../db/pool';
import { signMarshalToken, requireMarshal } from './tokens';

const WINDOW_MS = 15 * 60 * 1000;
const MAX_ATTEMPTS = 5;

// PIN attempts per caller over the last 15 minutes.
const pinAttempts = new Map<string, number[]>();

function callerAddress(req: Request): string {
  const forwarded = req.headers['x-forwarded-for'];
  const first = Array.isArray(forwarded) ? forwarded[0] : forwarded?.split(',')[0];
  return (first || req.socket.remoteAddress || 'unknown').trim();
}

function pinLimiter(req: Request, res: Response, next: NextFunction) {
  const caller = callerAddress(req);
  const now = Date.now();
  const recent = (pinAttempts.get(caller) ?? []).filter((t) => now - t < WINDOW_MS);
  if (recent.length >= MAX_ATTEMPTS) {
    res.setHeader('Retry-After', Math.ceil(WINDOW_MS / 1000));
    return res.status(429).json({ error: 'too many PIN attempts, ask the race organiser' });
  }
  recent.push(now);
  pinAttempts.set(caller, recent);
  next();
}

function pinMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given.padEnd(16));
  const b = Buffer.from(expected.padEnd(16));
  return a.length === b.length && timingSafeEqual(a, b);
}

export const kitCheck = express.Router();

kitCheck.post('/races/:raceId/marshal-login', pinLimiter, async (req, res, next) => {
  try {
    const { rows } = await pool.query('SELECT id, marshal_pin FROM races WHERE id = $1 AND kit_check_open', [
      req.params.raceId,
    ]);
    const race = rows[0];
    if (!race || !pinMatches(String(req.body.pin ?? ''), race.marshal_pin)) {
      return res.status(401).json({ error: 'wrong PIN' });
    }
    res.json({ token: signMarshalToken(race.id, String(req.body.marshalName ?? 'marshal')) });
  } catch (err) {
    next(err);
  }
});

const KIT_ITEMS = ['jacket', 'trousers', 'hat', 'gloves', 'map', 'compass', 'whistle', 'food'] as const;

kitCheck.put('/races/:raceId/runners/:bib/kit', requireMarshal, async (req, res, next) => {
  const missing = KIT_ITEMS.filter((item) => req.body[item] !== true);
  try {
    await pool.query(
      `INSERT INTO kit_checks (race_id, bib, missing_items, passed, checked_by, checked_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (race_id, bib)
       DO UPDATE SET missing_items = EXCLUDED.missing_items, passed = EXCLUDED.passed,
                     checked_by = EXCLUDED.checked_by, checked_at = EXCLUDED.checked_at`,
      [req.params.raceId, req.params.bib, missing, missing.length === 0, res.locals.marshalName],
    );
    res.json({ bib: req.params.bib, passed: missing.length === 0, missing });
  } catch (err) {
    next(err);
  }
});

kitCheck.get('/races/:raceId/kit-failures', requireMarshal, async (req, res, next) => {
  try {
    const { rows } = await pool.query(
      `SELECT bib, missing_items, checked_by, checked_at FROM kit_checks
        WHERE race_id = $1 AND NOT passed ORDER BY checked_at DESC LIMIT 200`,
      [req.params.raceId],
    );
    res.json(rows);
  } catch (err) {
    next(err);
  }
});
