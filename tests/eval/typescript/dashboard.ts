import { unstable_cache } from 'next/cache';
import { redis } from '@/lib/redis';
import { db } from '@/lib/db';

type Metric = { label: string; value: number };

export async function revenueTrend(userId: string): Promise<Metric[]> {
  const key = `metrics:${userId}:revenue-trend`;
  const hit = await redis.get(key);
  if (hit) return JSON.parse(hit);
  const rows = await db.query<Metric>(
    `SELECT to_char(date_trunc('month', paid_at), 'YYYY-MM') AS label, SUM(amount)::float AS value
       FROM payments GROUP BY 1 ORDER BY 1`,
  );
  await redis.set(key, JSON.stringify(rows), 'EX', 900);
  return rows;
}

export const signupsPerWeek = unstable_cache(
  async (): Promise<Metric[]> =>
    db.query<Metric>(
      `SELECT to_char(date_trunc('week', created_at), 'IYYY-IW') AS label, COUNT(*)::int AS value
         FROM users GROUP BY 1 ORDER BY 1`,
    ),
  ['signups-per-week'],
  { revalidate: 3600 },
);

export async function myRecentOrders(userId: string) {
  const key = `orders:${userId}:recent`;
  const hit = await redis.get(key);
  if (hit) return JSON.parse(hit);
  const rows = await db.query(
    'SELECT id, total, created_at FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 10',
    [userId],
  );
  await redis.set(key, JSON.stringify(rows), 'EX', 60);
  return rows;
}
