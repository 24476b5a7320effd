// src/fixtures/fixturesCache.ts
// Fixtures for the village hall table-tennis league come from the county
// association's API. Every club's noticeboard page shows them, so we keep:
//   L1: a small in-process LRU (30 s) per pod
//   L2: Redis, shared by all pods (5 min fresh copy + 24 h stale copy)
// and only one pod at a time refreshes a division from the county API.
import axios from 'axios';
import Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import { randomUUID } from 'node:crypto';
import { logger } from '../logger';

export interface Fixture {
  id: string;
  homeTeam: string;
  awayTeam: string;
  venue: string;
  startsAt: string;
}

const county = axios.create({
  baseURL: 'https://api.county-tta.example/v1',
  timeout: 5_000,
  headers: { 'X-Api-Key': process.env.COUNTY_API_KEY ?? '' },
});

const redis = new Redis(process.env.REDIS_URL!, { commandTimeout: 1_000, maxRetriesPerRequest: 2 });
const local = new LRUCache<string, Fixture[]>({ max: 200, ttl: 30_000 });

const FRESH_TTL_S = 300;
const STALE_TTL_S = 86_400;
const LOCK_TTL_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function fetchFromCounty(divisionId: string): Promise<Fixture[]> {
  const maxAttempts = 4;
  for (let attempt = 0; ; attempt++) {
    try {
      const { data } = await county.get<{ fixtures: Fixture[] }>(`/divisions/${divisionId}/fixtures`, {
        params: { upcoming: true, limit: 100 },
      });
      return data.fixtures;
    } catch (err) {
      if (attempt + 1 >= maxAttempts) throw err;
      // Exponential backoff, capped at 4 s, with full jitter.
      const delay = Math.random() * Math.min(4_000, 250 * 2 ** attempt);
      logger.warn({ err, divisionId, attempt, delay }, 'county fixtures fetch failed, backing off');
      await sleep(delay);
    }
  }
}

async function releaseLock(lockKey: string, token: string) {
  // Delete the lock only if we still own it.
  await redis.eval(
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
    1,
    lockKey,
    token,
  );
}

export async function getFixtures(divisionId: string): Promise<Fixture[]> {
  const freshKey = `fixtures:v1:${divisionId}`;
  const staleKey = `fixtures:v1:${divisionId}:stale`;

  const l1 = local.get(divisionId);
  if (l1) return l1;

  const fresh = await redis.get(freshKey);
  if (fresh) {
    const parsed = JSON.parse(fresh) as Fixture[];
    local.set(divisionId, parsed);
    return parsed;
  }

  const lockKey = `lock:fixtures:${divisionId}`;
  const token = randomUUID();
  const gotLock = await redis.set(lockKey, token, 'PX', LOCK_TTL_MS, 'NX');

  if (!gotLock) {
    // Someone else is refreshing: serve yesterday's copy rather than pile on.
    const stale = await redis.get(staleKey);
    if (stale) return JSON.parse(stale) as Fixture[];
    throw Object.assign(new Error('Fixtures are being refreshed, try again shortly'), { status: 503, retryAfter: 2 });
  }

  try {
    const fixtures = await fetchFromCounty(divisionId);
    const payload = JSON.stringify(fixtures);
    await redis
      .multi()
      .set(freshKey, payload, 'EX', FRESH_TTL_S)
      .set(staleKey, payload, 'EX', STALE_TTL_S)
      .exec();
    local.set(divisionId, fixtures);
    return fixtures;
  } finally {
    await releaseLock(lockKey, token);
  }
}
