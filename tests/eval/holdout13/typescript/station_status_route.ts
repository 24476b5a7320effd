// You're right that the previous version stampedes: every request that arrived in the
// same second after the 15s entry expired re-ran the GBFS fetch + the dock query.
// lru-cache's `fetchMethod` fixes that — concurrent `cache.fetch(key)` calls for the
// same key share ONE in-flight promise, and `allowStale` keeps serving the old value
// while a single background refresh runs.
//
// app/api/systems/[systemId]/stations/route.ts

import { NextResponse } from 'next/server';
import { LRUCache } from 'lru-cache';
import { pool } from '@/lib/pg'; // module-level pg Pool

type StationStatus = { stationId: string; bikes: number; ebikes: number; docksFree: number; reserved: number };

const GBFS_TIMEOUT_MS = 3_000;

async function loadStatuses(systemId: string): Promise<StationStatus[]> {
  const feed = await fetch(`${process.env.GBFS_BASE}/${systemId}/station_status.json`, {
    signal: AbortSignal.timeout(GBFS_TIMEOUT_MS),
    cache: 'no-store',
  });
  if (!feed.ok) throw new Error(`GBFS ${systemId}: ${feed.status}`);
  const { data } = (await feed.json()) as { data: { stations: any[] } };

  // open reservations per station, one grouped query for the whole system (indexed, small table)
  const { rows } = await pool.query<{ station_id: string; n: number }>(
    `SELECT station_id, count(*)::int AS n
       FROM dock_reservations
      WHERE system_id = $1 AND released_at IS NULL AND expires_at > now()
      GROUP BY station_id`,
    [systemId]
  );
  const reserved = new Map(rows.map((r) => [r.station_id, r.n]));

  return data.stations.map((s) => ({
    stationId: s.station_id,
    bikes: s.num_bikes_available,
    ebikes: s.num_ebikes_available ?? 0,
    docksFree: s.num_docks_available,
    reserved: reserved.get(s.station_id) ?? 0,
  }));
}

const statusCache = new LRUCache<string, StationStatus[]>({
  max: 50,                 // one entry per bike-share system we operate
  ttl: 15_000,
  allowStale: true,
  noDeleteOnFetchRejection: true,
  fetchMethod: (systemId) => loadStatuses(systemId),
});

export async function GET(_req: Request, { params }: { params: { systemId: string } }) {
  try {
    const statuses = await statusCache.fetch(params.systemId);
    return NextResponse.json(statuses ?? [], { headers: { 'Cache-Control': 'public, max-age=10' } });
  } catch (err) {
    console.error('station status failed', params.systemId, err);
    return NextResponse.json({ error: 'status temporarily unavailable' }, { status: 503 });
  }
}
