"""App factory and request throttling for the ringing-tower API.

Production runs gunicorn -w 4 on two hosts, so anything shared between
requests (sessions, throttle counters) lives in Redis, not in the process.
"""
import os
import time

import redis
from flask import Flask, g, jsonify, request, session
from flask_session import Session

RATE_LIMIT = 60          # requests
RATE_WINDOW = 60         # seconds


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.environ["SECRET_KEY"],
        SESSION_TYPE="redis",
        SESSION_REDIS=redis.Redis.from_url(
            os.environ["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2
        ),
        SESSION_PERMANENT=True,
        PERMANENT_SESSION_LIFETIME=60 * 60 * 8,   # Redis expires the key with the session
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    Session(app)

    limiter_redis = redis.Redis.from_url(
        os.environ["REDIS_URL"], socket_timeout=0.5, socket_connect_timeout=0.5
    )

    @app.before_request
    def throttle():
        if request.endpoint in {"health", "static"}:
            return None
        ringer_id = session.get("ringer_id")
        # signed-in ringers are limited per account; anonymous callers per socket peer
        who = f"ringer:{ringer_id}" if ringer_id else f"peer:{request.remote_addr}"
        window = int(time.time()) // RATE_WINDOW
        key = f"throttle:{who}:{window}"

        pipe = limiter_redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, RATE_WINDOW * 2)
        count, _ = pipe.execute()

        g.rate_remaining = max(RATE_LIMIT - count, 0)
        if count > RATE_LIMIT:
            retry_after = RATE_WINDOW - int(time.time()) % RATE_WINDOW
            resp = jsonify(error="slow down, the bells will still be there")
            resp.status_code = 429
            resp.headers["Retry-After"] = str(retry_after)
            return resp
        return None

    @app.after_request
    def rate_headers(resp):
        if hasattr(g, "rate_remaining"):
            resp.headers["X-RateLimit-Limit"] = str(RATE_LIMIT)
            resp.headers["X-RateLimit-Remaining"] = str(g.rate_remaining)
        return resp

    @app.get("/health")
    def health():
        return {"ok": True}

    from tower.slots import bp as slots_bp
    app.register_blueprint(slots_bp)
    return app
