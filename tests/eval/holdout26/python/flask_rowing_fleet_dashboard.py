"""Fleet usage dashboard for the rowing club committee.

Hours on the water per boat, per squad, over the last 12 months. The numbers
are the same for every committee member, so there is one shared cache entry;
when it expires, one worker recomputes it under a Redis lock while the others
keep serving the previous copy. (gunicorn -w 4 on two VMs.)
"""
import json

import redis
from cachetools import TTLCache
from flask import Blueprint, jsonify
from flask_login import login_required
from sqlalchemy import text

from boathouse.db import engine

bp = Blueprint("fleet", __name__)
r = redis.Redis(host="redis", port=6379, db=3, socket_timeout=2, socket_connect_timeout=2)

CACHE_KEY = "fleet-usage:v3"
STALE_KEY = "fleet-usage:v3:stale"
LOCK_KEY = "fleet-usage:v3:lock"
FRESH_SECONDS = 15 * 60

# small per-process copy so a page with several widgets does not hit Redis each time
_local = TTLCache(maxsize=8, ttl=30)

USAGE_SQL = text(
    "SELECT b.name AS boat, s.name AS squad, "
    "       round(sum(extract(epoch FROM o.returned_at - o.started_at)) / 3600.0, 1) AS hours "
    "FROM outings o JOIN boats b ON b.id = o.boat_id JOIN squads s ON s.id = o.squad_id "
    "WHERE o.started_at > now() - interval '12 months' AND o.returned_at IS NOT NULL "
    "GROUP BY b.name, s.name ORDER BY hours DESC LIMIT 200"
)


def _compute() -> list[dict]:
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(USAGE_SQL)]


def fleet_usage() -> list[dict] | None:
    if CACHE_KEY in _local:
        return _local[CACHE_KEY]

    raw = r.get(CACHE_KEY)
    if raw is None:
        # single-flight: only the worker that wins the lock runs the aggregate
        if r.set(LOCK_KEY, "1", nx=True, ex=300):
            try:
                data = _compute()
                payload = json.dumps(data, default=float)
                r.set(CACHE_KEY, payload, ex=FRESH_SECONDS)
                r.set(STALE_KEY, payload)  # kept as the fallback copy
                raw = payload
            finally:
                r.delete(LOCK_KEY)
        else:
            raw = r.get(STALE_KEY)
            if raw is None:
                # very first computation still running on another worker
                return None

    data = json.loads(raw)
    _local[CACHE_KEY] = data
    return data


@bp.get("/committee/fleet-usage")
@login_required
def fleet_usage_view():
    boats = fleet_usage()
    if boats is None:
        return jsonify(status="warming up"), 503, {"Retry-After": "10"}
    return jsonify(boats=boats, cached_for_seconds=FRESH_SECONDS)
