"""Cast list and running order for the pantomime programme page.

The page is opened by every parent in the hall when the QR code on the posters
is scanned, all within a few minutes before curtain-up. The content is the same
for everyone and changes only when the director edits the cast in the admin.
"""
import threading
import time

from cachetools import TTLCache
from flask import Flask, jsonify

from panto.db import fetch_cast, fetch_running_order, fetch_show  # pooled SQLAlchemy engine

app = Flask(__name__)

# One entry per performance; a run is at most a dozen performances.
_programme_cache: TTLCache = TTLCache(maxsize=64, ttl=300)
_cache_guard = threading.Lock()
_build_locks: dict[int, threading.Lock] = {}


def _lock_for(performance_id: int) -> threading.Lock:
    with _cache_guard:
        lock = _build_locks.get(performance_id)
        if lock is None:
            if len(_build_locks) > 256:
                _build_locks.clear()
            lock = _build_locks[performance_id] = threading.Lock()
        return lock


def _build_programme(performance_id: int) -> dict:
    show = fetch_show(performance_id)
    return {
        "title": show.title,
        "venue": show.venue,
        "curtain_up": show.starts_at.isoformat(),
        "cast": [{"role": c.role, "name": c.actor_name} for c in fetch_cast(show.id)],
        "scenes": [s.title for s in fetch_running_order(show.id)],
        "built_at": time.time(),
    }


def get_programme(performance_id: int) -> dict:
    with _cache_guard:
        cached = _programme_cache.get(performance_id)
    if cached is not None:
        return cached

    # Only one thread rebuilds a given performance; the rest wait and reuse its result.
    with _lock_for(performance_id):
        with _cache_guard:
            cached = _programme_cache.get(performance_id)
        if cached is not None:
            return cached
        programme = _build_programme(performance_id)
        with _cache_guard:
            _programme_cache[performance_id] = programme
        return programme


def invalidate(performance_id: int) -> None:
    """Called by the admin after the director saves cast changes."""
    with _cache_guard:
        _programme_cache.pop(performance_id, None)


@app.get("/programme/<int:performance_id>")
def programme(performance_id: int):
    return jsonify(get_programme(performance_id))
