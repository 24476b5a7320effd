# shuttle/limits.py -- request limiting for the public shuttle API
#
# Runs as 3 replicas (k8s Deployment, gunicorn -w 4 in each pod), so all counters
# live in Redis; nothing here keeps state in the process.
import logging
import os
import time

import redis
from flask import Flask, g, jsonify, request
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger(__name__)

app = Flask(__name__)
# Exactly one trusted hop in front of us (the ALB), so remote_addr becomes the
# address the ALB saw -- clients can't spoof it by sending their own header.
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)

r = redis.Redis.from_url(
    os.environ["REDIS_URL"],
    socket_timeout=0.5,
    socket_connect_timeout=0.5,
    health_check_interval=30,
)

_incr_with_ttl = r.register_script("""
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
""")

LIMITS = {
    "request_pickup": (10, 60),
    "lookup_ticket": (60, 60),
}


def over_limit(bucket: str, limit: int, window: int) -> bool:
    key = f"rl:{bucket}:{int(time.time() // window)}"
    try:
        count = _incr_with_ttl(keys=[key], args=[window])
    except redis.RedisError:
        # fail open, but make it visible
        log.warning("rate limiter unavailable; allowing %s", bucket, exc_info=True)
        return False
    return int(count) > limit


@app.before_request
def apply_limits():
    g.request_id = request.headers.get("X-Request-ID", "-")
    rule = LIMITS.get(request.endpoint)
    if rule is None:
        return None
    limit, window = rule
    if over_limit(f"{request.endpoint}:{request.remote_addr}", limit, window):
        log.info("429 %s ip=%s rid=%s", request.endpoint, request.remote_addr, g.request_id)
        return jsonify(error="too many requests, please wait a minute"), 429
    return None


@app.post("/pickups")
def request_pickup():
    ...


@app.get("/tickets/<ticket_no>")
def lookup_ticket(ticket_no):
    ...
