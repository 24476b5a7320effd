// src/chargers/status.ts
// Live connector status for the depot map. Upstream is the CSMS (OCPP backend) REST API,
// which is slow (~800ms) and rate-limited, so we cache briefly and coalesce concurrent misses.

import { LRUCache } from 'lru-cache';

type Connector = { id: number; status: 'Available' | 'Charging' | 'Faulted' | 'Unavailable'; kw: number; vehicleId?: string };
type ChargerStatus = { chargerId: string; connectors: Connector[] };
type DepotStatus = { depotId: string; chargers: ChargerStatus[]; fetchedAt: number };

const depotCache = new LRUCache<string, DepotStatus>({ max: 500, ttl: 15_000 });
const inFlight = new Map<string, Promise<DepotStatus>>();

async function fetchDepotFromCsms(depotId: string): Promise<DepotStatus> {
  // one call returns every charger at the depot
  const res = await fetch(`${process.env.CSMS_URL}/depots/${encodeURIComponent(depotId)}/status`, {
    headers: { Authorization: `Bearer ${process.env.CSMS_TOKEN}` },
    signal: AbortSignal.timeout(4000),
  });
  if (!res.ok) throw new Error(`CSMS ${res.status} for depot ${depotId}`);
  const body = (await res.json()) as { chargers: ChargerStatus[] };
  return { depotId, chargers: body.chargers, fetchedAt: Date.now() };
}

export async function getDepotStatus(depotId: string): Promise<DepotStatus> {
  const cached = depotCache.get(depotId);
  if (cached) return cached;

  // single-flight: concurrent callers for the same depot share one upstream request
  let p = inFlight.get(depotId);
  if (!p) {
    p = fetchDepotFromCsms(depotId)
      .then((s) => {
        depotCache.set(depotId, s);
        return s;
      })
      .finally(() => inFlight.delete(depotId));
    inFlight.set(depotId, p);
  }
  return p;
}

export async function getChargerStatus(depotId: string, chargerId: string): Promise<ChargerStatus | undefined> {
  const depot = await getDepotStatus(depotId);
  return depot.chargers.find((c) => c.chargerId === chargerId);
}

// express wiring (routes/depots.ts)
//
// router.get('/depots/:depotId/status', requireFleetUser, async (req, res, next) => {
//   try {
//     if (!req.user.depotIds.includes(req.params.depotId)) return res.sendStatus(404);
//     res.json(await getDepotStatus(req.params.depotId));
//   } catch (err) {
//     req.log.error({ err, depotId: req.params.depotId }, 'depot status failed');
//     next(err);
//   }
// });
