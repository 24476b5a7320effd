"""
Partner API (Flask).

Runs as `gunicorn -w 4 partner_api.wsgi:app`, 3 replicas behind one ALB.
All per-client state (rate-limit counters, sessions) lives in Redis so
every worker on every replica sees the same numbers.
"""
import logging
import os
import time
from functools import wraps

import redis
from flask import Flask, g, jsonify, request
from flask_session import Session
from werkzeug.middleware.proxy_fix import ProxyFix

from partner_api.auth import resolve_api_key

log = logging.getLogger(__name__)

rdb = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=0.5, socket_connect_timeout=0.5)

app = Flask(__name__)
# exactly one trusted hop (the ALB) -> request.remote_addr is the real client
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
app.config.update(
    SECRET_KEY=os.environ["SECRET_KEY"],
    SESSION_TYPE="redis",
    SESSION_REDIS=rdb,
    SESSION_PERMANENT=False,
)
Session(app)


def rate_limited(limit: int, window: int = 60):
    """Fixed-window limiter on Redis INCR; keyed by API key, else client address."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            ident = f"key:{g.api_key_id}" if getattr(g, "api_key_id", None) else f"ip:{request.remote_addr}"
            bucket = int(time.time()) // window
            key = f"rl:{view.__name__}:{ident}:{bucket}"
            try:
                pipe = rdb.pipeline()
                pipe.incr(key)
                pipe.expire(key, window * 2)
                count, _ = pipe.execute()
            except redis.RedisError:
                # fail open, but make it visible
                log.exception("rate limiter unavailable")
                return view(*args, **kwargs)
            if count > limit:
                resp = jsonify(error="too many requests")
                resp.status_code = 429
                resp.headers["Retry-After"] = str(window - int(time.time()) % window)
                return resp
            return view(*args, **kwargs)
        return wrapper
    return decorator


@app.before_request
def load_api_key():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    g.api_key_id = resolve_api_key(token) if token else None


@app.get("/v1/quotes/<symbol>")
@rate_limited(limit=300)
def quote(symbol):
    raw = rdb.hget("quotes", symbol.upper())
    if raw is None:
        return jsonify(error="unknown symbol"), 404
    return jsonify(symbol=symbol.upper(), price=raw.decode())


@app.post("/v1/login")
@rate_limited(limit=10)
def login():
    from flask import session
    from partner_api.auth import check_credentials

    user_id = check_credentials(request.json.get("email"), request.json.get("password"))
    if user_id is None:
        return jsonify(error="invalid credentials"), 401
    session["user_id"] = user_id
    return jsonify(ok=True)
