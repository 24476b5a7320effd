"""
api/ratelimit.py - sliding-window rate limiting for the public lookup API.

Deployment: gunicorn -w 4 -b 0.0.0.0:8000 api.wsgi:app
            (3 replicas behind the ALB, see deploy/api.yaml)
"""
import time
from collections import defaultdict, deque
from functools import wraps
from threading import Lock

from flask import Flask, jsonify, request

WINDOW_SECONDS = 60
DEFAULT_LIMIT = 120

# ip -> timestamps of recent requests
_hits: dict[str, deque] = defaultdict(deque)
_hits_lock = Lock()


def client_ip() -> str:
    """Best-effort real client IP (we sit behind a load balancer)."""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.remote_addr or "unknown"


def rate_limit(limit: int = DEFAULT_LIMIT, window: int = WINDOW_SECONDS):
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            ip = client_ip()
            now = time.monotonic()
            with _hits_lock:
                q = _hits[ip]
                while q and q[0] <= now - window:
                    q.popleft()
                if len(q) >= limit:
                    retry_after = int(window - (now - q[0])) + 1
                    resp = jsonify(error="rate limit exceeded")
                    resp.status_code = 429
                    resp.headers["Retry-After"] = str(retry_after)
                    return resp
                q.append(now)
            return view(*args, **kwargs)
        return wrapper
    return decorator


app = Flask(__name__)


@app.get("/v1/lookup/<vat_id>")
@rate_limit(limit=60)
def lookup_vat(vat_id):
    from api.vat import lookup  # local import to keep startup fast
    result = lookup(vat_id)
    if result is None:
        return jsonify(error="not found"), 404
    return jsonify(result)


@app.get("/v1/status")
@rate_limit()
def status():
    return jsonify(ok=True, ts=int(time.time()))
