"""Lane booking blueprint for Northgate Leisure (municipal pools).

Deployed as 2 pods x `gunicorn -w 4`, so sessions and rate limits live in
Redis, and double bookings are prevented by UNIQUE (lane_id, slot_start).
"""
import os
import time
from datetime import datetime

import redis
from flask import Blueprint, Flask, abort, jsonify, session
from flask_session import Session
from sqlalchemy import create_engine, text

redis_client = redis.Redis.from_url(
    os.environ["REDIS_URL"], socket_timeout=1, socket_connect_timeout=1
)
engine = create_engine(
    os.environ["DATABASE_URL"],
    pool_size=10,
    max_overflow=5,
    pool_pre_ping=True,
    connect_args={"connect_timeout": 5},
)

bp = Blueprint("lanes", __name__)

BOOKINGS_PER_WINDOW = 10
WINDOW_SECONDS = 300


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.environ["SECRET_KEY"],
        SESSION_TYPE="redis",
        SESSION_REDIS=redis_client,
        SESSION_PERMANENT=False,
    )
    Session(app)
    app.register_blueprint(bp)
    return app


def over_limit(member_id: int) -> bool:
    """Fixed-window counter shared by every worker on every pod."""
    bucket = int(time.time() // WINDOW_SECONDS)
    key = f"rl:lane-book:{member_id}:{bucket}"
    pipe = redis_client.pipeline()
    pipe.incr(key)
    pipe.expire(key, WINDOW_SECONDS + 5)
    count, _ = pipe.execute()
    return count > BOOKINGS_PER_WINDOW


@bp.post("/lanes/<int:lane_id>/slots/<slot_start>/book")
def book_lane(lane_id: int, slot_start: str):
    member_id = session.get("member_id")
    if member_id is None:
        abort(401)
    if over_limit(member_id):
        return jsonify(error="too many booking attempts, wait a few minutes"), 429

    try:
        start = datetime.fromisoformat(slot_start)
    except ValueError:
        abort(400)

    with engine.begin() as conn:
        result = conn.execute(
            text(
                "INSERT INTO lane_bookings (lane_id, slot_start, member_id) "
                "VALUES (:lane, :start, :member) "
                "ON CONFLICT (lane_id, slot_start) DO NOTHING"
            ),
            {"lane": lane_id, "start": start, "member": member_id},
        )
    if result.rowcount == 0:
        return jsonify(error="that lane slot has just been taken"), 409
    return jsonify(lane_id=lane_id, slot_start=start.isoformat()), 201


@bp.get("/me/bookings")
def my_bookings():
    member_id = session.get("member_id")
    if member_id is None:
        abort(401)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT lane_id, slot_start FROM lane_bookings "
                "WHERE member_id = :m AND slot_start >= now() "
                "ORDER BY slot_start LIMIT 20"
            ),
            {"m": member_id},
        ).all()
    return jsonify([{"lane_id": r.lane_id, "slot_start": r.slot_start.isoformat()} for r in rows])
