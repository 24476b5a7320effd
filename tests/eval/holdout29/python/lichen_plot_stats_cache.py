"""Per-plot statistics for the lichen survey map popups.

The same numbers are shown to every surveyor, so entries are keyed by plot,
not by user. The cache is bounded (LRU + TTL) and a recompute for a given
plot happens at most once at a time: concurrent misses wait for the first.
"""
import threading
import zlib

from cachetools import TTLCache
from flask import Blueprint, abort, jsonify
from sqlalchemy import text

from .db import engine

bp = Blueprint("plot_stats", __name__)

_stats_cache: TTLCache = TTLCache(maxsize=2_000, ttl=15 * 60)
_cache_guard = threading.Lock()              # protects the TTLCache itself
_recompute_locks = [threading.Lock() for _ in range(64)]  # fixed stripe, never grows


def _lock_for(plot_id: int) -> threading.Lock:
    return _recompute_locks[zlib.crc32(str(plot_id).encode()) % len(_recompute_locks)]


def _cached(plot_id: int):
    with _cache_guard:
        return _stats_cache.get(plot_id)


def _load_plot_stats(plot_id: int) -> dict | None:
    with engine.connect() as conn:
        plot = conn.execute(text(
            "SELECT id, code, region, substrate, aspect FROM survey_plots WHERE id = :id"
        ), {"id": plot_id}).mappings().first()
        if plot is None:
            return None
        species = conn.execute(text(
            "SELECT o.species_code, count(*) AS visits_seen, max(v.visited_on) AS last_seen "
            "FROM observations o JOIN plot_visits v ON v.id = o.visit_id "
            "WHERE v.plot_id = :id "
            "GROUP BY o.species_code ORDER BY visits_seen DESC LIMIT 50"
        ), {"id": plot_id}).mappings().all()
    return {
        "plot": dict(plot),
        "species": [
            {**dict(s), "last_seen": s["last_seen"].isoformat()} for s in species
        ],
    }


def plot_stats(plot_id: int) -> dict | None:
    hit = _cached(plot_id)
    if hit is not None:
        return hit
    with _lock_for(plot_id):
        # another thread may have filled it while we waited
        hit = _cached(plot_id)
        if hit is not None:
            return hit
        stats = _load_plot_stats(plot_id)
        if stats is not None:
            with _cache_guard:
                _stats_cache[plot_id] = stats
        return stats


@bp.get("/plots/<int:plot_id>/stats")
def plot_stats_view(plot_id: int):
    stats = plot_stats(plot_id)
    if stats is None:
        abort(404)
    return jsonify(stats)
