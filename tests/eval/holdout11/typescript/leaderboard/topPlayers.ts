// Yes — with a plain get/compute/set, every pod recomputes the weekly top-100 at the
// moment the key expires (that's the spike you see every 60s). Fixed version below:
//  * in-process single-flight: concurrent callers in one pod share one promise
//  * Redis SET NX lock: only one pod recomputes; others serve the stale copy
//  * soft expiry: value is refreshed ~10s before it goes stale, hard TTL is longer
import Redis from "ioredis";
import { db } from "./db"; // shared Kysely instance

const redis = new Redis(process.env.REDIS_URL!);
const SOFT_TTL_MS = 50_000;
const HARD_TTL_S = 300;
const inflight = new Map<string, Promise<TopEntry[]>>(); // entries removed in finally

type TopEntry = { playerId: string; nickname: string; best: number };
type Cached = { value: TopEntry[]; refreshAt: number };

async function compute(week: string): Promise<TopEntry[]> {
  return db
    .selectFrom("weekly_best")
    .innerJoin("players", "players.id", "weekly_best.player_id")
    .select(["players.id as playerId", "players.nickname", "weekly_best.best"])
    .where("weekly_best.week", "=", week)
    .orderBy("weekly_best.best", "desc")
    .limit(100)
    .execute();
}

async function refresh(key: string, week: string): Promise<TopEntry[] | null> {
  const lock = await redis.set(`${key}:lock`, "1", "PX", 10_000, "NX");
  if (lock !== "OK") return null; // another pod is on it
  try {
    const value = await compute(week);
    const payload: Cached = { value, refreshAt: Date.now() + SOFT_TTL_MS };
    await redis.set(key, JSON.stringify(payload), "EX", HARD_TTL_S);
    return value;
  } finally {
    await redis.del(`${key}:lock`);
  }
}

export async function weeklyTop100(week: string): Promise<TopEntry[]> {
  const key = `lb:weekly:${week}`;
  const raw = await redis.get(key);
  const cached: Cached | null = raw ? JSON.parse(raw) : null;
  if (cached && cached.refreshAt > Date.now()) return cached.value;

  let p = inflight.get(key);
  if (!p) {
    p = (async () => (await refresh(key, week)) ?? cached?.value ?? (await compute(week)))().finally(() =>
      inflight.delete(key),
    );
    inflight.set(key, p);
  }
  if (cached) {
    p.catch((err) => console.error("weekly top100 refresh failed", err));
    return cached.value; // stale-while-revalidate
  }
  return p;
}
