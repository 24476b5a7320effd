// flag-service/src/evaluate.ts
// Evaluation endpoint used by our SDKs. Runs on 6 pods; anything shared lives in Redis.
import express, { Request, Response, NextFunction } from 'express';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { evaluateAll, Ruleset } from './engine';
import { authenticateSdkKey } from './auth';

const redis = new Redis(process.env.REDIS_URL!, { connectTimeout: 2000, commandTimeout: 500, maxRetriesPerRequest: 2 });
const pg = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, query_timeout: 5000 });

const RULESET_TTL_S = 30;
const EVAL_TTL_S = 60;
const SDK_RPS_LIMIT = 200;

// Per-process single-flight: concurrent misses for the same env share one DB load.
// Entries are removed as soon as the load settles.
const inflight = new Map<string, Promise<Ruleset>>();

async function loadRuleset(envId: string): Promise<Ruleset> {
  const key = `ruleset:${envId}`;
  const cached = await redis.get(key);
  if (cached) return JSON.parse(cached);

  let p = inflight.get(envId);
  if (!p) {
    p = (async () => {
      const { rows } = await pg.query(
        'SELECT flag_key, enabled, rules, version FROM flag_configs WHERE environment_id = $1',
        [envId],
      );
      const ruleset: Ruleset = { envId, flags: rows, version: Math.max(0, ...rows.map((r) => r.version)) };
      await redis.set(key, JSON.stringify(ruleset), 'EX', RULESET_TTL_S);
      return ruleset;
    })().finally(() => inflight.delete(envId));
    inflight.set(envId, p);
  }
  return p;
}

async function withinLimit(sdkKeyId: string): Promise<boolean> {
  const bucket = `rl:${sdkKeyId}:${Math.floor(Date.now() / 1000)}`;
  const n = await redis.incr(bucket);
  if (n === 1) await redis.expire(bucket, 2);
  return n <= SDK_RPS_LIMIT;
}

export const app = express();

// GET /v1/flags?userId=...  — the evaluated flag values for ONE user (targeting depends on user attributes)
app.get('/v1/flags', authenticateSdkKey, async (req: Request, res: Response, next: NextFunction) => {
  try {
    const { envId, sdkKeyId } = res.locals;
    if (!(await withinLimit(sdkKeyId))) return res.status(429).json({ error: 'rate limited' });

    const userId = String(req.query.userId ?? '');
    if (!userId) return res.status(400).json({ error: 'userId required' });

    const ruleset = await loadRuleset(envId);
    const evalKey = `eval:${envId}:${ruleset.version}:${userId}`;
    const hit = await redis.get(evalKey);
    if (hit) return res.type('application/json').send(hit);

    const attrs = await pg.query('SELECT attributes FROM sdk_users WHERE environment_id = $1 AND user_key = $2', [envId, userId]);
    const values = evaluateAll(ruleset, { key: userId, ...(attrs.rows[0]?.attributes ?? {}) });
    const body = JSON.stringify(values);
    await redis.set(evalKey, body, 'EX', EVAL_TTL_S);
    res.type('application/json').send(body);
  } catch (err) {
    next(err);
  }
});
