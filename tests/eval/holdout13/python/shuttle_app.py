# shuttle/app.py -- SkyPark shuttle dispatch API
#
# Deployed with: gunicorn -w 4 -b 0.0.0.0:8000 shuttle.app:app
# Two EC2 instances behind the ALB (see infra/shuttle.tf).
import os
import time
from collections import defaultdict, deque
from datetime import datetime, timezone

from flask import Flask, abort, jsonify, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"], pool_size=5, max_overflow=5, pool_pre_ping=True)

# keep people from hammering the pickup button
RATE = 5
WINDOW = 60
_hits = defaultdict(deque)

# driver_id -> pickup the driver is currently heading to
active_assignments = {}


def client_ip():
    fwd = request.headers.get("X-Forwarded-For", "")
    return fwd.split(",")[0].strip() or request.remote_addr


def rate_limited(ip):
    now = time.time()
    q = _hits[ip]
    while q and q[0] < now - WINDOW:
        q.popleft()
    if len(q) >= RATE:
        return True
    q.append(now)
    return False


@app.post("/pickups")
def request_pickup():
    if rate_limited(client_ip()):
        abort(429)
    data = request.get_json(force=True)
    lot = data.get("lot")
    ticket = data.get("ticket_no")
    if not lot or not ticket:
        abort(400)

    with engine.begin() as conn:
        # grab the least-recently-used free driver in this lot; SKIP LOCKED so two
        # concurrent pickups never get the same van
        driver_id = conn.execute(text("""
            UPDATE drivers SET busy = true, last_assigned_at = now()
            WHERE id = (
                SELECT id FROM drivers
                WHERE lot = :lot AND on_shift AND NOT busy
                ORDER BY last_assigned_at NULLS FIRST
                LIMIT 1
                FOR UPDATE SKIP LOCKED
            )
            RETURNING id
        """), {"lot": lot}).scalar()
        pickup_id = conn.execute(text("""
            INSERT INTO pickups (ticket_no, lot, terminal, party_size, driver_id, status)
            VALUES (:t, :lot, :term, :n, :d, CASE WHEN :d IS NULL THEN 'queued' ELSE 'assigned' END)
            RETURNING id
        """), {"t": ticket, "lot": lot, "term": data.get("terminal"),
               "n": int(data.get("party_size", 1)), "d": driver_id}).scalar_one()

    if driver_id is not None:
        active_assignments[driver_id] = {
            "pickup_id": pickup_id,
            "terminal": data.get("terminal"),
            "party_size": data.get("party_size", 1),
            "since": datetime.now(timezone.utc).isoformat(),
        }
    return jsonify(pickup_id=pickup_id, status="assigned" if driver_id else "queued"), 201


@app.get("/drivers/<int:driver_id>/assignment")
def driver_assignment(driver_id):
    # the driver tablet polls this every 5s
    a = active_assignments.get(driver_id)
    if a is None:
        return jsonify(assignment=None)
    return jsonify(assignment=a)


@app.post("/drivers/<int:driver_id>/dropoff")
def driver_dropoff(driver_id):
    a = active_assignments.pop(driver_id, None)
    with engine.begin() as conn:
        conn.execute(text("UPDATE drivers SET busy = false WHERE id = :d"), {"d": driver_id})
        if a:
            conn.execute(text("UPDATE pickups SET status = 'done', done_at = now() WHERE id = :p"),
                         {"p": a["pickup_id"]})
    return jsonify(ok=True)


@app.get("/pickups/<int:pickup_id>")
def pickup_status(pickup_id):
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT id, status, driver_id, terminal, created_at FROM pickups WHERE id = :p"
        ), {"p": pickup_id}).mappings().first()
    if row is None:
        abort(404)
    return jsonify(dict(row))


@app.get("/lots/<lot>/queue")
def lot_queue(lot):
    with engine.connect() as conn:
        rows = conn.execute(text("""
            SELECT id, terminal, party_size, created_at FROM pickups
            WHERE lot = :lot AND status = 'queued'
            ORDER BY created_at LIMIT 50
        """), {"lot": lot}).mappings().all()
    return jsonify(queue=[dict(r) for r in rows])
