// Yes, that's a leak: a plain object keyed by "from|to" grows forever in a long-running
// Node process, because every new pickup/drop-off pair adds a key and nothing removes it.
// Swap it for a bounded LRU with a TTL. I also added in-flight de-duplication so a burst of
// identical lookups only makes one call to the routing API.
import { LRUCache } from 'lru-cache';
import { fetchRouteSummary } from './routing-client'; // axios instance with timeout: 3000
import type { LatLng, RouteSummary } from './types';

const routeCache = new LRUCache<string, RouteSummary>({
  max: 5_000,
  ttl: 10 * 60 * 1000,
});

const inflight = new Map<string, Promise<RouteSummary>>(); // entries removed when they settle

const keyFor = (a: LatLng, b: LatLng) =>
  `${a.lat.toFixed(4)},${a.lng.toFixed(4)}|${b.lat.toFixed(4)},${b.lng.toFixed(4)}`;

export async function getRoute(from: LatLng, to: LatLng): Promise<RouteSummary> {
  const key = keyFor(from, to);
  const hit = routeCache.get(key);
  if (hit) return hit;

  let pending = inflight.get(key);
  if (!pending) {
    pending = fetchRouteSummary(from, to)
      .then((summary) => {
        routeCache.set(key, summary);
        return summary;
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  return pending;
}
