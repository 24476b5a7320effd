"""Season stats for the woodland group's public page.

"So far this winter: 412 volunteer hours, 96 hazel stools cut, 3,100 bean
poles sold." The numbers come from a join over every work-day log, so they
are cached in Redis under one shared key and rebuilt by a single request
at a time; everyone else gets the previous copy while that happens.
"""
import json
import logging
import os

import redis
from flask import Blueprint, jsonify
from sqlalchemy import text

from .db import engine

log = logging.getLogger(__name__)
bp = Blueprint("stats", __name__)

r = redis.Redis.from_url(
    os.environ["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2, decode_responses=True
)

FRESH_TTL = 300          # serve as current for five minutes
STALE_TTL = 60 * 60 * 6  # keep an old copy around for the rebuild window
LOCK_TTL = 30

STATS_SQL = text(
    """
    SELECT COALESCE(SUM(a.hours), 0)        AS volunteer_hours,
           COUNT(DISTINCT c.stool_id)       AS stools_cut,
           COALESCE(SUM(p.poles_sold), 0)   AS bean_poles_sold,
           COUNT(DISTINCT a.volunteer_id)   AS volunteers
    FROM work_days d
    LEFT JOIN attendance a ON a.day_id = d.id
    LEFT JOIN stool_cuts c ON c.day_id = d.id
    LEFT JOIN produce_sales p ON p.day_id = d.id
    WHERE d.season = :season
    """
)


def _rebuild(season: str) -> dict:
    with engine.connect() as conn:
        row = conn.execute(STATS_SQL, {"season": season}).mappings().one()
    stats = {k: int(v) for k, v in row.items()}
    blob = json.dumps(stats)
    pipe = r.pipeline()
    pipe.set(f"coppice:stats:{season}", blob, ex=FRESH_TTL)
    pipe.set(f"coppice:stats:{season}:stale", blob, ex=STALE_TTL)
    pipe.execute()
    return stats


@bp.get("/api/seasons/<season>/stats")
def season_stats(season: str):
    fresh = r.get(f"coppice:stats:{season}")
    if fresh is not None:
        return jsonify(json.loads(fresh))

    lock_key = f"coppice:stats:{season}:rebuilding"
    if r.set(lock_key, "1", nx=True, ex=LOCK_TTL):
        try:
            return jsonify(_rebuild(season))
        finally:
            r.delete(lock_key)

    stale = r.get(f"coppice:stats:{season}:stale")
    if stale is not None:
        return jsonify(json.loads(stale))

    # First load of a new season and someone else is already building it.
    return jsonify(status="warming_up"), 503
