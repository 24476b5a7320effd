"""Cycle repair café – ticket queue.

Visitors scan the QR code on the door and take a ticket for their bike; the
mechanics call tickets in order from a tablet. Runs as three gunicorn
containers behind the community centre's nginx (one proxy hop), so the rate
limiter and ticket counters live in Postgres/Redis rather than in the process.
"""
import logging
import os
import time

import redis
from flask import Flask, abort, jsonify, request
from sqlalchemy import create_engine, text
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger("repair_cafe")

app = Flask(__name__)
# nginx is the only hop in front of us and overwrites X-Forwarded-For.
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)

engine = create_engine(
    os.environ["DATABASE_URL"], pool_size=10, max_overflow=5, pool_pre_ping=True
)
limiter_redis = redis.Redis.from_url(
    os.environ["REDIS_URL"], socket_timeout=1, socket_connect_timeout=1
)

TICKETS_PER_WINDOW = 3
WINDOW_SECONDS = 600
REPAIR_KINDS = {"puncture", "brakes", "gears", "chain", "wheel-true", "other"}


def allow_ticket(client_key: str) -> bool:
    bucket = f"rl:repair-ticket:{client_key}:{int(time.time() // WINDOW_SECONDS)}"
    pipe = limiter_redis.pipeline()
    pipe.incr(bucket)
    pipe.expire(bucket, WINDOW_SECONDS + 30)
    count, _ = pipe.execute()
    return count <= TICKETS_PER_WINDOW


@app.post("/sessions/<int:session_id>/tickets")
def take_ticket(session_id: int):
    if not allow_ticket(request.remote_addr):
        abort(429)
    body = request.get_json(silent=True) or {}
    kind = body.get("repair", "other")
    if kind not in REPAIR_KINDS:
        abort(400)

    with engine.begin() as conn:
        number = conn.execute(
            text(
                "UPDATE cafe_sessions SET next_ticket_no = next_ticket_no + 1 "
                "WHERE id = :sid AND closes_at > now() RETURNING next_ticket_no"
            ),
            {"sid": session_id},
        ).scalar()
        if number is None:
            abort(404, description="this repair session is closed")
        ticket_id = conn.execute(
            text(
                "INSERT INTO repair_tickets (session_id, ticket_no, repair_kind, bike_description, status) "
                "VALUES (:sid, :no, :kind, :bike, 'waiting') RETURNING id"
            ),
            {"sid": session_id, "no": number, "kind": kind, "bike": body.get("bike", "")[:200]},
        ).scalar_one()
    log.info("session %s issued ticket %s (%s)", session_id, number, kind)
    return jsonify({"ticket_id": ticket_id, "ticket_no": number}), 201


@app.get("/sessions/<int:session_id>/queue")
def queue(session_id: int):
    limit = min(request.args.get("limit", 30, type=int), 100)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT ticket_no, repair_kind, status FROM repair_tickets "
                "WHERE session_id = :sid AND status IN ('waiting', 'on-stand') "
                "ORDER BY ticket_no LIMIT :lim"
            ),
            {"sid": session_id, "lim": limit},
        ).mappings().all()
    return jsonify([dict(r) for r in rows])


@app.post("/tickets/<int:ticket_id>/call")
def call_ticket(ticket_id: int):
    with engine.begin() as conn:
        called = conn.execute(
            text(
                "UPDATE repair_tickets SET status = 'on-stand', called_at = now() "
                "WHERE id = :id AND status = 'waiting' RETURNING ticket_no"
            ),
            {"id": ticket_id},
        ).scalar()
    if called is None:
        abort(409, description="ticket already called or closed")
    return jsonify({"ticket_no": called})
