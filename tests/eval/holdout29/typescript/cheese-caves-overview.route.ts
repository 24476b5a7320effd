// app/api/caves/overview/route.ts
// Data for the ripening-room wall screens and the cheesemakers' dashboard:
// per-cave conditions over the last week and the batches that need attention.
// The six wall screens poll this every 30 s; the office dashboard on page load.
// Sensors write a reading per cave every 30 s into cave_readings (~20M rows/year).

import { NextResponse } from 'next/server';
import { prisma } from '@/lib/prisma';
import { redis } from '@/lib/redis';

export const dynamic = 'force-dynamic';

type CaveConditions = {
  cave_id: number;
  cave_name: string;
  avg_temp_c: number;
  avg_rh_pct: number;
  p95_rh_pct: number;
  minutes_out_of_band: number;
};

type BatchAttention = {
  batch_id: number;
  make_date: Date;
  style: string;
  cave_name: string;
  days_since_turn: number;
  rind_checks_failed: number;
};

const OVERVIEW_KEY = 'caves:overview:v2';
const OVERVIEW_TTL_SECONDS = 120;

async function loadConditions(): Promise<CaveConditions[]> {
  return prisma.$queryRaw<CaveConditions[]>`
    SELECT c.id AS cave_id,
           c.name AS cave_name,
           avg(r.temp_c)::float AS avg_temp_c,
           avg(r.rh_pct)::float AS avg_rh_pct,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY r.rh_pct)::float AS p95_rh_pct,
           (count(*) FILTER (WHERE r.temp_c NOT BETWEEN c.temp_min AND c.temp_max
                               OR r.rh_pct NOT BETWEEN c.rh_min AND c.rh_max) / 2)::int AS minutes_out_of_band
      FROM caves c
      JOIN cave_readings r ON r.cave_id = c.id
     WHERE r.read_at > now() - interval '7 days'
     GROUP BY c.id, c.name
     ORDER BY c.name`;
}

export async function GET() {
  let conditions: CaveConditions[];

  const cached = await redis.get(OVERVIEW_KEY);
  if (cached) {
    conditions = JSON.parse(cached);
  } else {
    conditions = await loadConditions();
    await redis.set(OVERVIEW_KEY, JSON.stringify(conditions), 'EX', OVERVIEW_TTL_SECONDS);
  }

  // Batches that have not been turned on schedule or failed a rind check recently.
  const attention = await prisma.$queryRaw<BatchAttention[]>`
    SELECT b.id AS batch_id, b.make_date, b.style, c.name AS cave_name,
           extract(day FROM now() - max(t.turned_at))::int AS days_since_turn,
           count(rc.id) FILTER (WHERE rc.passed = false)::int AS rind_checks_failed
      FROM ripening_batches b
      JOIN caves c ON c.id = b.cave_id
      LEFT JOIN batch_turns t ON t.batch_id = b.id
      LEFT JOIN rind_checks rc ON rc.batch_id = b.id
     WHERE b.status = 'ripening'
     GROUP BY b.id, b.make_date, b.style, c.name, b.turn_every_days
    HAVING max(t.turned_at) < now() - make_interval(days => b.turn_every_days)
        OR count(rc.id) FILTER (WHERE rc.passed = false AND rc.checked_at > now() - interval '14 days') > 0
     ORDER BY days_since_turn DESC NULLS FIRST
     LIMIT 50`;

  return NextResponse.json(
    { generatedAt: new Date().toISOString(), conditions, attention },
    { headers: { 'cache-control': 'no-store' } },
  );
}
