// app/routes/api.campaign-stats.ts
// Resource route used by the advertiser dashboard (polled every 30s by the charts).
import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import type { RowDataPacket } from 'mysql2/promise';
import { requireAdvertiserUser } from '~/auth.server';
import { pool } from '~/db.server';
import { redis } from '~/redis.server';

type Benchmarks = { vertical: string; medianCpm: number; medianCtr: number; updatedAt: string };

const BENCHMARK_URL = process.env.BENCHMARK_SERVICE_URL ?? 'http://benchmarks.internal:9000';

async function getVerticalBenchmarks(userId: string, vertical: string): Promise<Benchmarks> {
  // industry-wide medians, refreshed nightly by the data team
  const cacheKey = `benchmarks:${userId}:${vertical}`;
  const hit = await redis.get(cacheKey);
  if (hit) return JSON.parse(hit) as Benchmarks;

  const res = await fetch(`${BENCHMARK_URL}/v1/verticals/${encodeURIComponent(vertical)}`, {
    signal: AbortSignal.timeout(3000),
  });
  if (!res.ok) throw new Response('benchmarks unavailable', { status: 502 });
  const data = (await res.json()) as Benchmarks;
  await redis.set(cacheKey, JSON.stringify(data), 'EX', 3600);
  return data;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdvertiserUser(request);
  const url = new URL(request.url);
  const days = Math.min(Number(url.searchParams.get('days') ?? 30), 90);

  // impressions/clicks/spend per campaign for the selected window
  const [stats] = await pool.query<RowDataPacket[]>(
    `SELECT e.campaign_id,
            COUNT(*)                                   AS impressions,
            SUM(e.event_type = 'click')                AS clicks,
            SUM(e.cost_micros) / 1e6                   AS spend,
            COUNT(DISTINCT e.device_id)                AS reach
       FROM ad_events e
      WHERE e.advertiser_id = ?
        AND e.event_time >= NOW() - INTERVAL ? DAY
      GROUP BY e.campaign_id
      ORDER BY spend DESC`,
    [user.advertiserId, days],
  );

  const campaigns = [];
  for (const row of stats) {
    const [[meta]] = await pool.query<RowDataPacket[]>(
      'SELECT name, status, daily_budget_micros FROM campaigns WHERE id = ? AND advertiser_id = ?',
      [row.campaign_id, user.advertiserId],
    );
    campaigns.push({
      id: row.campaign_id,
      name: meta?.name ?? '(deleted)',
      status: meta?.status,
      dailyBudget: meta ? Number(meta.daily_budget_micros) / 1e6 : null,
      impressions: Number(row.impressions),
      clicks: Number(row.clicks),
      ctr: row.impressions ? Number(row.clicks) / Number(row.impressions) : 0,
      spend: Number(row.spend),
      reach: Number(row.reach),
    });
  }

  const benchmarks = await getVerticalBenchmarks(user.id, user.vertical);
  return json(
    { days, campaigns, benchmarks },
    { headers: { 'Cache-Control': 'private, max-age=15' } },
  );
}
