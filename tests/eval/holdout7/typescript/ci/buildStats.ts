// ci-dashboard/src/routes/buildStats.ts
// Build health dashboard for the CI service. Runs as 4 pods; all shared state in Redis/Postgres.
import { Router } from "express";
import { Pool } from "pg";
import Redis from "ioredis";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 15,
  statement_timeout: 10_000,
  connectionTimeoutMillis: 3_000,
});
const redis = new Redis(process.env.REDIS_URL!, { commandTimeout: 1_000 });

// runner pools from the checked-in config; loaded once at boot, never written after
const runnerPools: Record<string, { label: string; maxConcurrency: number }> = JSON.parse(
  readFileSync(process.env.RUNNER_POOLS_FILE ?? "/etc/ci/runner-pools.json", "utf8"),
);

const STATS_KEY = "ci:stats:30d";
const STATS_TTL_S = 120;
const LOCK_TTL_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function computeStats() {
  const { rows } = await pool.query(
    `SELECT pipeline,
            count(*)                                               AS runs,
            avg(extract(epoch FROM finished_at - started_at))::int AS avg_seconds,
            sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END)     AS failures
       FROM builds
      WHERE started_at > now() - interval '30 days'
      GROUP BY pipeline
      ORDER BY runs DESC`,
  );
  return rows;
}

/**
 * Cached aggregate with single-flight: only the pod holding the Redis lock
 * recomputes; the others wait briefly for the fresh value and otherwise fall
 * back to the stale copy kept under a longer-lived key.
 */
async function getStats() {
  const cached = await redis.get(STATS_KEY);
  if (cached) return JSON.parse(cached);

  const token = randomUUID();
  const gotLock = await redis.set(`${STATS_KEY}:lock`, token, "PX", LOCK_TTL_MS, "NX");
  if (gotLock === "OK") {
    try {
      const stats = await computeStats();
      const payload = JSON.stringify(stats);
      await redis.multi().set(STATS_KEY, payload, "EX", STATS_TTL_S).set(`${STATS_KEY}:stale`, payload, "EX", 86_400).exec();
      return stats;
    } finally {
      // release only if we still own the lock
      await redis.eval(
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
        1, `${STATS_KEY}:lock`, token,
      );
    }
  }

  for (let i = 0; i < 10; i++) {
    await sleep(200);
    const fresh = await redis.get(STATS_KEY);
    if (fresh) return JSON.parse(fresh);
  }
  const stale = await redis.get(`${STATS_KEY}:stale`);
  return stale ? JSON.parse(stale) : [];
}

export const router = Router();

router.get("/stats", async (_req, res, next) => {
  try {
    res.json({ pipelines: await getStats(), runnerPools });
  } catch (err) {
    next(err);
  }
});

router.get("/pipelines/:pipeline/builds", async (req, res, next) => {
  const limit = Math.min(Number(req.query.limit ?? 50), 200);
  const before = req.query.before ? Number(req.query.before) : null;
  try {
    const { rows } = await pool.query(
      `SELECT id, commit_sha, branch, status, started_at, finished_at
         FROM builds
        WHERE pipeline = $1 AND ($2::bigint IS NULL OR id < $2)
        ORDER BY id DESC
        LIMIT $3`,
      [req.params.pipeline, before, limit],
    );
    res.json({ builds: rows, nextBefore: rows.length ? rows[rows.length - 1].id : null });
  } catch (err) {
    next(err);
  }
});
