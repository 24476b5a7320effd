# Cricket club nets booking API.
# Deployed with gunicorn -w 4 on two VMs, so throttling state lives in Redis.
import logging
import os

import redis
from flask import Flask, abort, g, jsonify, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
log = logging.getLogger(__name__)

engine = create_engine(
    os.environ["NETS_DATABASE_URL"],
    pool_size=5,
    max_overflow=5,
    pool_pre_ping=True,
    connect_args={"options": "-c statement_timeout=5000"},
)
redis_pool = redis.ConnectionPool.from_url(
    os.environ["REDIS_URL"], socket_timeout=1, socket_connect_timeout=1
)
limiter_redis = redis.Redis(connection_pool=redis_pool)

BOOKINGS_PER_MINUTE = 10


def member_id() -> int:
    mid = g.get("member_id")  # set by the session-auth middleware
    if mid is None:
        abort(401)
    return mid


def enforce_limit(mid: int) -> None:
    """Fixed one-minute window per member, shared by every worker via Redis."""
    key = f"nets:rl:{mid}"
    pipe = limiter_redis.pipeline()
    pipe.incr(key)
    pipe.expire(key, 60, nx=True)
    count, _ = pipe.execute()
    if count > BOOKINGS_PER_MINUTE:
        abort(429)


@app.post("/api/lanes/<int:lane_id>/bookings")
def book_lane(lane_id: int):
    mid = member_id()
    enforce_limit(mid)
    body = request.get_json(force=True)
    starts_at = body["starts_at"]

    # unique (lane_id, starts_at) on nets_bookings decides who gets the slot
    with engine.begin() as conn:
        booking_id = conn.execute(
            text(
                "INSERT INTO nets_bookings (lane_id, member_id, starts_at, duration_minutes) "
                "VALUES (:lane, :member, :starts, 60) "
                "ON CONFLICT (lane_id, starts_at) DO NOTHING RETURNING id"
            ),
            {"lane": lane_id, "member": mid, "starts": starts_at},
        ).scalar()

    if booking_id is None:
        return jsonify({"error": "that slot has just been taken"}), 409
    return jsonify({"booking_id": booking_id}), 201


@app.get("/api/me/bookings")
def my_bookings():
    mid = member_id()
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, lane_id, starts_at FROM nets_bookings "
                "WHERE member_id = :member AND starts_at >= now() "
                "ORDER BY starts_at LIMIT 20"
            ),
            {"member": mid},
        ).mappings()
        return jsonify([dict(r) for r in rows])
