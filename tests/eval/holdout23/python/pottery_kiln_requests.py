"""Members ask for shelf space in the next glaze firing.

The studio-members API runs on 4 pods, so the per-member request limit is
kept in Redis rather than in process memory.
"""
import os
import time

import redis
from flask import Blueprint, g, jsonify, request
from sqlalchemy import text

from .auth import login_required
from .db import engine

bp = Blueprint("kiln_requests", __name__)

redis_pool = redis.ConnectionPool.from_url(
    os.environ["REDIS_URL"], max_connections=20, socket_timeout=1.0, socket_connect_timeout=1.0
)
rds = redis.Redis(connection_pool=redis_pool)

LIMIT_PER_HOUR = 20


def over_limit(member_id: int) -> bool:
    """Fixed one-hour window: INCR is atomic across all pods."""
    window = int(time.time() // 3600)
    key = f"rl:kiln-req:{member_id}:{window}"
    pipe = rds.pipeline()
    pipe.incr(key)
    pipe.expire(key, 3600)
    count, _ = pipe.execute()
    return count > LIMIT_PER_HOUR


@bp.post("/firings/<int:firing_id>/requests")
@login_required
def request_shelf_space(firing_id: int):
    member = g.member
    if over_limit(member.id):
        return jsonify(error="too many requests this hour"), 429

    body = request.get_json(force=True)
    pieces = int(body.get("pieces", 1))
    shelf_cm2 = int(body.get("shelf_cm2", 0))
    if not (1 <= pieces <= 12) or shelf_cm2 <= 0:
        return jsonify(error="pieces must be 1-12 and shelf area positive"), 422

    with engine.begin() as conn:
        # One request per member per firing (unique index on firing_id, member_id);
        # re-submitting updates it instead of adding a second row.
        row = conn.execute(text("""
            INSERT INTO firing_requests (studio_id, firing_id, member_id, pieces, shelf_cm2, glaze_notes)
            SELECT f.studio_id, f.id, :member_id, :pieces, :shelf_cm2, :notes
            FROM firings f
            WHERE f.id = :firing_id AND f.studio_id = :studio_id AND f.status = 'accepting'
            ON CONFLICT (firing_id, member_id)
            DO UPDATE SET pieces = EXCLUDED.pieces, shelf_cm2 = EXCLUDED.shelf_cm2,
                          glaze_notes = EXCLUDED.glaze_notes, updated_at = now()
            RETURNING id
        """), {"member_id": member.id, "pieces": pieces, "shelf_cm2": shelf_cm2,
               "notes": (body.get("glaze_notes") or "")[:300],
               "firing_id": firing_id, "studio_id": member.studio_id}).first()

    if row is None:
        return jsonify(error="firing not found or no longer accepting pieces"), 404
    return jsonify(request_id=row.id), 201


@bp.get("/firings/<int:firing_id>/requests/mine")
@login_required
def my_request(firing_id: int):
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT id, pieces, shelf_cm2, glaze_notes, status FROM firing_requests "
            "WHERE firing_id = :f AND member_id = :m AND studio_id = :s"
        ), {"f": firing_id, "m": g.member.id, "s": g.member.studio_id}).mappings().first()
    return jsonify(dict(row) if row else None)
