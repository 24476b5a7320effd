"""Contest results board for the brass band association site.

Results are the same for every visitor, so they are cached under one key
per contest. Only one worker recomputes at a time (Redis SET NX lock);
the others keep serving the previous copy until the fresh one lands.
"""
import json
import time

import redis
from flask import Blueprint, jsonify
from sqlalchemy import text

from .db import engine
from .settings import settings

bp = Blueprint("results", __name__)

pool = redis.ConnectionPool.from_url(
    settings.REDIS_URL, max_connections=50, socket_timeout=2, socket_connect_timeout=2
)
rds = redis.Redis(connection_pool=pool)

FRESH_SECONDS = 60  # adjudicators' marks trickle in during the contest
KEEP_SECONDS = 24 * 3600  # stale copy kept so nobody waits on a recompute


def _compute_results(contest_id: int) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT e.id, e.band_name, e.section, e.draw_position, "
                "SUM(m.points) AS points, MAX(m.points) FILTER (WHERE m.category = 'march') AS march_points "
                "FROM contest_entries e JOIN adjudicator_marks m ON m.entry_id = e.id "
                "WHERE e.contest_id = :cid GROUP BY e.id ORDER BY e.section, points DESC"
            ),
            {"cid": contest_id},
        ).mappings().all()
    return [dict(r) for r in rows]


def _refresh(contest_id: int, key: str) -> list[dict] | None:
    if not rds.set(f"{key}:lock", "1", nx=True, ex=30):
        return None
    try:
        results = _compute_results(contest_id)
        envelope = {"computed_at": time.time(), "results": results}
        rds.set(key, json.dumps(envelope, default=str), ex=KEEP_SECONDS)
        return results
    finally:
        rds.delete(f"{key}:lock")


@bp.get("/contests/<int:contest_id>/results")
def contest_results(contest_id: int):
    key = f"contest:{contest_id}:results:v2"
    raw = rds.get(key)
    if raw is not None:
        envelope = json.loads(raw)
        if time.time() - envelope["computed_at"] > FRESH_SECONDS:
            # Stale: at most one request refreshes, everyone else gets the old copy.
            fresh = _refresh(contest_id, key)
            if fresh is not None:
                return jsonify(results=fresh, stale=False)
        return jsonify(results=envelope["results"], stale=time.time() - envelope["computed_at"] > FRESH_SECONDS)

    fresh = _refresh(contest_id, key)
    if fresh is None:
        # Another worker is building the first copy right now.
        return jsonify(error="Results are being prepared"), 503, {"Retry-After": "2"}
    return jsonify(results=fresh, stale=False)
