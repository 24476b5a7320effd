# kiln_booking/app.py
# Pottery studio kiln rental portal.
# prod: gunicorn -w 4 -b 0.0.0.0:8000 kiln_booking.app:app  (two VMs behind nginx)
import os
import threading
import time
import uuid
from collections import defaultdict, deque
from functools import wraps

import psycopg2.pool
import requests
from flask import Flask, abort, jsonify, request

app = Flask(__name__)
db = psycopg2.pool.ThreadedConnectionPool(1, 8, dsn=os.environ["DATABASE_URL"])

CONTROLLER_URL = os.environ.get("KILN_CONTROLLER_URL", "http://kiln-gw.local:8080")
RATE_LIMIT = 30          # requests / minute / client
_hits = defaultdict(deque)

# job_id -> {"kiln_id": .., "status": "heating" | "done" | "error", "started": ts}
firing_jobs = {}


def client_ip():
    fwd = request.headers.get("X-Forwarded-For", "")
    return fwd.split(",")[0].strip() or request.remote_addr


def rate_limited(fn):
    @wraps(fn)
    def wrapper(*a, **kw):
        now = time.time()
        q = _hits[client_ip()]
        while q and q[0] < now - 60:
            q.popleft()
        if len(q) >= RATE_LIMIT:
            abort(429)
        q.append(now)
        return fn(*a, **kw)
    return wrapper


@app.post("/kilns/<int:kiln_id>/bookings")
@rate_limited
def book_kiln(kiln_id):
    data = request.get_json(force=True)
    conn = db.getconn()
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                """INSERT INTO kiln_bookings (kiln_id, member_id, slot_start, cone)
                   VALUES (%s, %s, %s, %s)
                   ON CONFLICT (kiln_id, slot_start) DO NOTHING
                   RETURNING id""",
                (kiln_id, data["member_id"], data["slot_start"], data.get("cone", "06")),
            )
            row = cur.fetchone()
    finally:
        db.putconn(conn)
    if row is None:
        return jsonify(error="slot already booked"), 409
    return jsonify(booking_id=row[0]), 201


def _run_firing(job_id, kiln_id, schedule):
    try:
        r = requests.post(f"{CONTROLLER_URL}/kilns/{kiln_id}/program", json=schedule, timeout=5)
        r.raise_for_status()
        firing_jobs[job_id]["status"] = "heating"
        while True:
            s = requests.get(f"{CONTROLLER_URL}/kilns/{kiln_id}/state", timeout=5).json()
            if s["phase"] == "complete":
                firing_jobs[job_id]["status"] = "done"
                return
            time.sleep(30)
    except requests.RequestException as exc:
        app.logger.exception("firing %s failed", job_id)
        firing_jobs[job_id]["status"] = "error"
        firing_jobs[job_id]["error"] = str(exc)


@app.post("/kilns/<int:kiln_id>/firings")
@rate_limited
def start_firing(kiln_id):
    job_id = uuid.uuid4().hex
    firing_jobs[job_id] = {"kiln_id": kiln_id, "status": "queued", "started": time.time()}
    threading.Thread(target=_run_firing, args=(job_id, kiln_id, request.get_json()), daemon=True).start()
    return jsonify(job_id=job_id), 202


@app.get("/firings/<job_id>")
@rate_limited
def firing_status(job_id):
    job = firing_jobs.get(job_id)
    if job is None:
        abort(404)
    return jsonify(job)
