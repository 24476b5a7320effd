# booking/app.py -- public API for the restaurant table-booking widget
#
# Deployed behind nginx on two VMs:
#   gunicorn -w 4 -b 127.0.0.1:8000 "booking.app:create_app()"
import threading
import time
import uuid
from collections import defaultdict, deque

from flask import Flask, jsonify, request

from booking.availability import search_availability
from booking.db import init_db, get_db

RATE_LIMIT = 30     # requests per window per client
RATE_WINDOW = 60    # seconds

_hits = defaultdict(deque)          # ip -> timestamps of recent requests
_hits_lock = threading.Lock()

# availability searches can take a few seconds (we query every partner
# restaurant's POS), so the widget starts a search and polls for the result
_search_jobs = {}                   # job_id -> {"status": ..., "results": ...}


def client_ip():
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.remote_addr


def create_app():
    app = Flask(__name__)
    init_db(app)

    @app.before_request
    def rate_limit():
        if request.path.startswith("/health"):
            return None
        now = time.monotonic()
        ip = client_ip()
        with _hits_lock:
            q = _hits[ip]
            while q and now - q[0] > RATE_WINDOW:
                q.popleft()
            if len(q) >= RATE_LIMIT:
                return jsonify(error="too many requests"), 429
            q.append(now)
        return None

    @app.post("/api/search")
    def start_search():
        params = request.get_json(force=True)
        job_id = uuid.uuid4().hex
        _search_jobs[job_id] = {"status": "running", "results": None}

        def run():
            try:
                results = search_availability(params)
                _search_jobs[job_id] = {"status": "done", "results": results}
            except Exception as exc:  # noqa: BLE001
                app.logger.exception("search %s failed", job_id)
                _search_jobs[job_id] = {"status": "failed", "error": str(exc)}

        threading.Thread(target=run, daemon=True).start()
        return jsonify(job_id=job_id), 202

    @app.get("/api/search/<job_id>")
    def poll_search(job_id):
        job = _search_jobs.get(job_id)
        if job is None:
            return jsonify(error="unknown search"), 404
        return jsonify(job)

    @app.post("/api/bookings")
    def create_booking():
        body = request.get_json(force=True)
        db = get_db()
        # take the seats first; the WHERE makes it fail instead of overbooking
        cur = db.execute(
            "UPDATE slots SET seats_left = seats_left - %(party_size)s "
            "WHERE id = %(slot_id)s AND seats_left >= %(party_size)s",
            body,
        )
        if cur.rowcount == 0:
            db.rollback()
            return jsonify(error="slot is full"), 409
        row = db.execute(
            "INSERT INTO bookings (slot_id, name, phone, party_size) "
            "VALUES (%(slot_id)s, %(name)s, %(phone)s, %(party_size)s) RETURNING id",
            body,
        ).fetchone()
        db.commit()
        return jsonify(booking_id=row[0]), 201

    @app.get("/health")
    def health():
        return "ok"

    return app
