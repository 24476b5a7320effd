"""Timed-entry ticket API for the museum (Flask + psycopg pool + Redis).

Runs as gunicorn -w 4 on 2 VMs, so anything shared lives in Postgres or Redis.
"""
import logging
import os

import redis
import requests
from flask import Flask, abort, g, jsonify, request
from psycopg_pool import ConnectionPool

app = Flask(__name__)
log = logging.getLogger("tickets")

pool = ConnectionPool(os.environ["DATABASE_URL"], min_size=2, max_size=10)
r = redis.Redis.from_url(os.environ["REDIS_URL"])
payments = requests.Session()
PAY_URL = os.environ["PAYMENTS_URL"]


def limited(key: str, limit: int, window: int) -> bool:
    n = r.incr(key)
    if n == 1:
        r.expire(key, window)
    return n > limit


@app.before_request
def throttle():
    if request.endpoint == "buy" and limited(f"rl:buy:{request.remote_addr}", 20, 60):
        abort(429)


@app.post("/slots/<int:slot_id>/buy")
def buy(slot_id):
    qty = int(request.json.get("qty", 1))
    if not 1 <= qty <= 8:
        abort(400)
    with pool.connection() as conn:
        with conn.transaction():
            cur = conn.execute(
                "UPDATE entry_slots SET remaining = remaining - %s "
                "WHERE id = %s AND remaining >= %s RETURNING price_cents",
                (qty, slot_id, qty),
            )
            row = cur.fetchone()
            if row is None:
                return jsonify(error="sold out"), 409
            total = row[0] * qty
            order_id = conn.execute(
                "INSERT INTO ticket_orders (slot_id, qty, total_cents, status) "
                "VALUES (%s, %s, %s, 'pending') RETURNING id",
                (slot_id, qty, total),
            ).fetchone()[0]

    try:
        resp = payments.post(
            f"{PAY_URL}/intents",
            json={"amount": total, "reference": f"ticket-{order_id}"},
            timeout=(2, 8),
        )
        resp.raise_for_status()
    except requests.RequestException:
        log.exception("payment intent failed for order %s", order_id)
        raise
    return jsonify(order_id=order_id, client_secret=resp.json()["client_secret"]), 201


@app.get("/slots")
def list_slots():
    day = request.args.get("day")
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT id, starts_at, remaining FROM entry_slots "
            "WHERE starts_at::date = %s ORDER BY starts_at LIMIT 48",
            (day,),
        ).fetchall()
    return jsonify([{"id": i, "starts_at": s.isoformat(), "remaining": rem} for i, s, rem in rows])
