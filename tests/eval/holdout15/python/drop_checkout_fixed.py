"""
Good catch — the original handler read `pairs_left`, checked it in Python and
then wrote `pairs_left - 1` back, so two buyers hitting "Cop now" in the same
millisecond could both get the last pair. It also kept the per-user rate limit
in a Python dict, which doesn't work across your 4 gunicorn workers x 3 pods.

Here's the fixed version:

1. The decrement is a single conditional UPDATE; we only create the order if
   exactly one row was updated.
2. The limiter lives in Redis (INCR + EXPIRE), shared by every worker.
3. The client IP comes from `request.remote_addr`, which ProxyFix sets from the
   one trusted hop (our ingress) instead of a raw X-Forwarded-For header.
"""
import os

import redis
from flask import Flask, abort, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import create_engine, text
from werkzeug.middleware.proxy_fix import ProxyFix

app = Flask(__name__)
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # exactly one proxy (nginx ingress) in front

engine = create_engine(os.environ["DATABASE_URL"], pool_size=10, max_overflow=5, pool_pre_ping=True,
                       connect_args={"connect_timeout": 5, "options": "-c statement_timeout=5000"})
rds = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=0.5)

BUY_LIMIT_PER_MIN = 3


def over_limit(user_id: int) -> bool:
    key = f"rl:buy:{user_id}"
    pipe = rds.pipeline()
    pipe.incr(key)
    pipe.expire(key, 60, nx=True)
    count, _ = pipe.execute()
    return count > BUY_LIMIT_PER_MIN


@app.post("/drops/<int:drop_id>/buy")
@login_required
def buy(drop_id: int):
    if over_limit(current_user.id):
        abort(429)
    size = (request.get_json(silent=True) or {}).get("size")
    if not size:
        abort(400, "size required")

    with engine.begin() as conn:
        res = conn.execute(
            text("""UPDATE drop_sizes
                    SET pairs_left = pairs_left - 1
                    WHERE drop_id = :d AND size = :s AND pairs_left > 0
                      AND now() >= (SELECT opens_at FROM drops WHERE id = :d)"""),
            {"d": drop_id, "s": size},
        )
        if res.rowcount != 1:
            return jsonify(error="sold out or not live"), 410

        order_id = conn.execute(
            text("""INSERT INTO orders (drop_id, user_id, size, status, client_ip)
                    VALUES (:d, :u, :s, 'pending_payment', :ip) RETURNING id"""),
            {"d": drop_id, "u": current_user.id, "s": size, "ip": request.remote_addr},
        ).scalar_one()

    return jsonify(order_id=order_id), 201
