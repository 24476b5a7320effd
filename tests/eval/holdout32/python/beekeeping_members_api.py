"""Members' API for the beekeeping association: apiary inspections and the
swarm-collector availability toggle used by the mobile app.

Runs as `gunicorn -w 4 'beeapp:create_app()'` on two app servers, so anything
shared between requests (sessions, throttling) lives in Redis.
"""
import logging
import os
import time

import redis
from flask import Flask, abort, g, jsonify, request, session
from flask_session import Session

log = logging.getLogger("beeapp")

redis_pool = redis.ConnectionPool.from_url(
    os.environ["REDIS_URL"], max_connections=20, socket_timeout=2, socket_connect_timeout=2
)
rds = redis.Redis(connection_pool=redis_pool)

INSPECTIONS_PER_MINUTE = 20


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.environ["SECRET_KEY"],
        SESSION_TYPE="redis",
        SESSION_REDIS=rds,
        SESSION_PERMANENT=True,
        PERMANENT_SESSION_LIFETIME=60 * 60 * 24 * 14,
    )
    Session(app)

    @app.before_request
    def load_member():
        g.member_id = session.get("member_id")

    def throttle(bucket: str, limit: int) -> None:
        if g.member_id is None:
            abort(401)
        window = int(time.time() // 60)
        key = f"rl:{bucket}:{g.member_id}:{window}"
        pipe = rds.pipeline()
        pipe.incr(key)
        pipe.expire(key, 120)
        count, _ = pipe.execute()
        if count > limit:
            abort(429)

    @app.post("/apiaries/<int:apiary_id>/inspections")
    def add_inspection(apiary_id: int):
        throttle("inspection", INSPECTIONS_PER_MINUTE)
        data = request.get_json()
        from beeapp.repo import record_inspection  # pooled DB engine inside

        inspection_id = record_inspection(
            member_id=g.member_id,
            apiary_id=apiary_id,
            queen_seen=bool(data.get("queen_seen")),
            brood_frames=int(data.get("brood_frames", 0)),
            temper=data.get("temper", "calm"),
            varroa_count=data.get("varroa_count"),
        )
        return jsonify(id=inspection_id), 201

    @app.put("/collectors/me/availability")
    def set_availability():
        throttle("availability", 10)
        available = bool(request.get_json()["available"])
        rds.hset("collector:availability", g.member_id, int(available))
        log.info("member %s availability -> %s", g.member_id, available)
        return jsonify(available=available)

    return app
