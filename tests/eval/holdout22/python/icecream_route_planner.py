"""Nightly route planning for the ice-cream van fleet.

The planner service stays up all season; the scheduler calls plan_fleet()
at 04:00 with every van's stop list for the day (typically 25 vans x 60-120 stops)
and again whenever dispatch edits a route during the day.
"""
from __future__ import annotations

import logging
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

log = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0

# (lat1, lng1, lat2, lng2) -> km, shared across runs so repeated stops are free
_distance_memo: dict[tuple[float, float, float, float], float] = {}


@dataclass(frozen=True)
class Stop:
    stop_id: int
    lat: float
    lng: float
    dwell_minutes: int


def haversine_km(a: Stop, b: Stop) -> float:
    key = (a.lat, a.lng, b.lat, b.lng)
    cached = _distance_memo.get(key)
    if cached is not None:
        return cached
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp = p2 - p1
    dl = math.radians(b.lng - a.lng)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    dist = 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
    _distance_memo[key] = dist
    return dist


def route_length(route: list[Stop]) -> float:
    return sum(haversine_km(route[i], route[i + 1]) for i in range(len(route) - 1))


def two_opt(route: list[Stop], max_passes: int = 50) -> list[Stop]:
    """Classic 2-opt improvement; the depot stays first and last."""
    best = route[:]
    best_len = route_length(best)
    for _ in range(max_passes):
        improved = False
        for i in range(1, len(best) - 2):
            for j in range(i + 1, len(best) - 1):
                candidate = best[:i] + best[i:j + 1][::-1] + best[j + 1:]
                cand_len = route_length(candidate)
                if cand_len < best_len - 1e-9:
                    best, best_len = candidate, cand_len
                    improved = True
        if not improved:
            break
    return best


def plan_van(van_id: int, stops: list[Stop]) -> tuple[int, list[Stop], float]:
    ordered = two_opt(stops)
    km = route_length(ordered)
    log.info("van %s: %d stops, %.1f km", van_id, len(ordered), km)
    return van_id, ordered, km


def plan_fleet(stops_by_van: dict[int, list[Stop]]) -> dict[int, list[Stop]]:
    """Optimise every van's route, eight vans at a time."""
    plans: dict[int, list[Stop]] = {}
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(plan_van, van_id, stops) for van_id, stops in stops_by_van.items()]
        for fut in futures:
            van_id, ordered, km = fut.result()
            plans[van_id] = ordered
    total = sum(route_length(r) for r in plans.values())
    log.info("fleet plan ready: %d vans, %.1f km total", len(plans), total)
    return plans
