// src/cottages/availabilityCache.ts
// Lighthouse keeper cottage stays: the "which cottages have free nights this month"
// grid on the home page. Same answer for every visitor, so one shared Redis key per
// month; a short lock makes sure only one instance rebuilds it when it expires.
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';

export type MonthGrid = {
  month: string;
  cottages: Array<{ cottageId: number; name: string; freeNights: number; firstFree: string | null }>;
  builtAt: string;
};

const redis = new Redis(process.env.REDIS_URL!, { commandTimeout: 500, connectTimeout: 3000 });

const pg = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 3000,
  statement_timeout: 10_000,
});

const FRESH_SECONDS = 300;   // serve as fresh for 5 minutes
const STALE_SECONDS = 3600;  // keep a stale copy to serve while someone rebuilds
const LOCK_MS = 15_000;

const RELEASE_LOCK = `
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

async function buildGrid(month: string): Promise<MonthGrid> {
  const { rows } = await pg.query(
    `SELECT c.id AS "cottageId", c.name,
            count(n.id) FILTER (WHERE n.status = 'open') AS "freeNights",
            min(n.night_of) FILTER (WHERE n.status = 'open') AS "firstFree"
       FROM cottages c
       LEFT JOIN cottage_nights n
              ON n.cottage_id = c.id
             AND n.night_of >= to_date($1, 'YYYY-MM')
             AND n.night_of <  to_date($1, 'YYYY-MM') + interval '1 month'
      WHERE c.listed
      GROUP BY c.id, c.name
      ORDER BY c.name
      LIMIT 100`,
    [month],
  );
  return { month, cottages: rows, builtAt: new Date().toISOString() };
}

async function rebuild(month: string): Promise<MonthGrid> {
  const grid = await buildGrid(month);
  await redis
    .multi()
    .set(`avail:grid:${month}`, JSON.stringify(grid), 'EX', STALE_SECONDS)
    .set(`avail:grid:${month}:fresh`, '1', 'EX', FRESH_SECONDS)
    .exec();
  return grid;
}

export async function getMonthGrid(month: string): Promise<MonthGrid> {
  const [cached, fresh] = await redis.mget(`avail:grid:${month}`, `avail:grid:${month}:fresh`);
  if (cached && fresh) return JSON.parse(cached);

  const lockKey = `avail:grid:${month}:lock`;
  const token = randomUUID();
  const gotLock = await redis.set(lockKey, token, 'PX', LOCK_MS, 'NX');

  if (gotLock === 'OK') {
    try {
      return await rebuild(month);
    } finally {
      await redis.eval(RELEASE_LOCK, 1, lockKey, token);
    }
  }

  // Someone else is rebuilding: serve the stale copy if there is one,
  // otherwise wait briefly for theirs rather than hitting Postgres too.
  if (cached) return JSON.parse(cached);
  for (let i = 0; i < 8; i++) {
    const delay = Math.min(50 * 2 ** i, 400) * (0.5 + Math.random() / 2);
    await new Promise((r) => setTimeout(r, delay));
    const ready = await redis.get(`avail:grid:${month}`);
    if (ready) return JSON.parse(ready);
  }
  throw new Error(`availability grid for ${month} not ready, try again shortly`);
}

// Booking code calls this after a reservation so the grid is rebuilt on next read.
export async function markStale(month: string): Promise<void> {
  await redis.del(`avail:grid:${month}:fresh`);
}
