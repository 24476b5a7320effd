"""Route optimisation for the mobile library vans, used by the nightly
planning worker (not by web requests).

The 2-opt search is pure-Python number crunching, so restarts run in a
process pool; results are memoised per stop set in a small TTL cache, with a
per-key (striped) lock so concurrent callers for the same van wait for one computation.
"""
from __future__ import annotations

import hashlib
import math
import random
import threading
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from cachetools import TTLCache

RESTARTS = 6

_pool = ProcessPoolExecutor(max_workers=4)
_routes: TTLCache[str, tuple[float, list[int]]] = TTLCache(maxsize=128, ttl=6 * 3600)
_cache_lock = threading.Lock()
# Striped locks: callers for the same stop set serialise, others proceed.
_stripes = [threading.Lock() for _ in range(16)]


def _stripe_for(key: str) -> threading.Lock:
    return _stripes[int(key[:8], 16) % len(_stripes)]


def _stops_key(points: list[tuple[float, float]]) -> str:
    return hashlib.sha1(repr(points).encode()).hexdigest()


def _km(a, b) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def _length(matrix, tour) -> float:
    return sum(matrix[tour[i - 1]][tour[i]] for i in range(len(tour)))


def _two_opt(matrix, seed: int) -> tuple[float, list[int]]:
    rng = random.Random(seed)
    tour = [0] + rng.sample(range(1, len(matrix)), len(matrix) - 1)
    best = _length(matrix, tour)
    improved = True
    while improved:
        improved = False
        for i in range(1, len(tour) - 1):
            for j in range(i + 1, len(tour)):
                cand = tour[:i] + tour[i:j][::-1] + tour[j:]
                cand_len = _length(matrix, cand)
                if cand_len < best:
                    tour, best, improved = cand, cand_len, True
    return best, tour


def optimise(points: list[tuple[float, float]]) -> tuple[float, list[int]]:
    """points[0] is the depot. Returns (km, visiting order of indices)."""
    key = _stops_key(points)
    with _stripe_for(key):
        with _cache_lock:
            cached = _routes.get(key)
        if cached is not None:
            return cached
        matrix = [[_km(p, q) for q in points] for p in points]
        results = list(_pool.map(partial(_two_opt, matrix), range(RESTARTS)))
        best = min(results)
        with _cache_lock:
            _routes[key] = best
        return best
