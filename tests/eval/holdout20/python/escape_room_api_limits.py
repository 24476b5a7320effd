"""Partner API for escape-room venues (availability lookups).

Deployment: 3 pods behind the load balancer, so anything shared between
requests (rate-limit windows, login sessions) lives in Redis.
"""
import os
import time

import redis
from flask import Blueprint, Flask, abort, g, jsonify, request
from flask_session import Session

from .auth import resolve_api_key
from .db import pool

r = redis.Redis.from_url(
    os.environ["REDIS_URL"],
    socket_timeout=0.5,
    socket_connect_timeout=0.5,
    health_check_interval=30,
)

bp = Blueprint("partner", __name__, url_prefix="/partner/v1")

LIMIT_PER_MINUTE = 120


def configure(app: Flask) -> None:
    app.config.update(SESSION_TYPE="redis", SESSION_REDIS=r, SESSION_PERMANENT=False)
    Session(app)
    app.register_blueprint(bp)


def _allow(partner_id: int) -> tuple[bool, int]:
    """Fixed one-minute window counted atomically in Redis."""
    window = int(time.time() // 60)
    key = f"rl:partner:{partner_id}:{window}"
    pipe = r.pipeline(transaction=True)
    pipe.incr(key)
    pipe.expire(key, 90)
    count, _ = pipe.execute()
    return count <= LIMIT_PER_MINUTE, max(0, LIMIT_PER_MINUTE - count)


@bp.before_request
def authenticate_and_limit():
    partner = resolve_api_key(request.headers.get("Authorization", ""))
    if partner is None:
        abort(401)
    g.partner = partner
    ok, remaining = _allow(partner.id)
    g.rate_remaining = remaining
    if not ok:
        resp = jsonify({"error": "rate limit exceeded"})
        resp.status_code = 429
        resp.headers["Retry-After"] = str(60 - int(time.time()) % 60)
        return resp


@bp.after_request
def add_limit_headers(resp):
    if hasattr(g, "rate_remaining"):
        resp.headers["X-RateLimit-Remaining"] = str(g.rate_remaining)
    return resp


@bp.get("/rooms/<int:room_id>/sessions")
def room_sessions(room_id: int):
    day = request.args.get("date")
    if not day:
        abort(400, "date=YYYY-MM-DD is required")
    conn = pool.getconn()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT s.id, s.starts_at, s.duration_min, s.max_players, s.booked_players "
                "FROM room_sessions s JOIN rooms rm ON rm.id = s.room_id "
                "WHERE rm.id = %s AND rm.venue_id = %s AND s.starts_at::date = %s "
                "ORDER BY s.starts_at LIMIT 48",
                (room_id, g.partner.venue_id, day),
            )
            rows = cur.fetchall()
    finally:
        pool.putconn(conn)
    return jsonify(
        [
            {"session_id": sid, "starts_at": ts.isoformat(), "minutes": dur,
             "spots_left": max_p - booked}
            for sid, ts, dur, max_p, booked in rows
        ]
    )
