// app/api/sites/[siteId]/summary/route.ts
import { NextRequest, NextResponse } from 'next/server';
import { Pool } from 'pg';
import { redis } from '@/lib/redis';
import { getSessionUser } from '@/lib/auth';

export const dynamic = 'force-dynamic';

// Installer dashboards and the lobby wall displays poll this every 15 s.
// panel_readings is ~1.2B rows (5-minute readings from every inverter), partitioned by month.

type DailyRow = { day: string; kwh: number; peak_w: number };

export async function GET(req: NextRequest, { params }: { params: { siteId: string } }) {
  const user = await getSessionUser(req);
  if (!user) {
    return NextResponse.json({ error: 'unauthorized' }, { status: 401 });
  }
  if (!user.siteIds.includes(params.siteId)) {
    return NextResponse.json({ error: 'forbidden' }, { status: 403 });
  }

  const cacheKey = `site-summary:v2:${params.siteId}`;
  const cached = await redis.get(cacheKey);
  if (cached) {
    return NextResponse.json(JSON.parse(cached), { headers: { 'x-cache': 'hit' } });
  }

  const db = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  try {
    const { rows: daily } = await db.query<DailyRow>(
      `SELECT date_trunc('day', read_at) AS day,
              SUM(energy_wh) / 1000.0     AS kwh,
              MAX(power_w)                AS peak_w
         FROM panel_readings
        WHERE site_id = $1 AND read_at >= now() - interval '30 days'
        GROUP BY 1
        ORDER BY 1`,
      [params.siteId],
    );
    const {
      rows: [lifetime],
    } = await db.query(
      `SELECT SUM(energy_wh) / 1e6 AS mwh, COUNT(DISTINCT inverter_id) AS inverters
         FROM panel_readings
        WHERE site_id = $1`,
      [params.siteId],
    );

    const body = {
      siteId: params.siteId,
      daily,
      lifetime,
      generatedAt: new Date().toISOString(),
    };
    await redis.set(cacheKey, JSON.stringify(body), 'EX', 60);
    return NextResponse.json(body, { headers: { 'x-cache': 'miss' } });
  } finally {
    await db.end();
  }
}
