"""Bunk request API for the alpine club's mountain huts.

Run with:  gunicorn -w 4 -b 0.0.0.0:8000 huts.app:app
(behind the club's nginx on the hut-booking VM)
"""
import time
from collections import defaultdict, deque
from datetime import date

from flask import Flask, abort, g, jsonify, request
from sqlalchemy import text

from huts.auth import require_member
from huts.db import engine  # shared engine, pool_size=5

app = Flask(__name__)

REQUESTS_PER_MINUTE = 20
_recent_requests = defaultdict(deque)


def _client_ip():
    # nginx appends the caller's address; take the first hop if present
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.remote_addr


@app.before_request
def throttle():
    ip = _client_ip()
    now = time.monotonic()
    window = _recent_requests[ip]
    while window and now - window[0] > 60:
        window.popleft()
    if len(window) >= REQUESTS_PER_MINUTE:
        return jsonify(error="too many requests, try again in a minute"), 429
    window.append(now)


@app.get("/huts/<int:hut_id>/nights")
def availability(hut_id):
    start = date.fromisoformat(request.args.get("from", date.today().isoformat()))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT night, bunks_free FROM hut_nights "
                "WHERE hut_id = :hut AND night >= :start ORDER BY night LIMIT 31"
            ),
            {"hut": hut_id, "start": start},
        ).all()
    return jsonify([{"night": r.night.isoformat(), "bunks_free": r.bunks_free} for r in rows])


@app.post("/huts/<int:hut_id>/allocations")
@require_member
def allocate_bunks(hut_id):
    body = request.get_json(force=True)
    night = date.fromisoformat(body["night"])
    party = int(body.get("party_size", 1))
    if not 1 <= party <= 8:
        abort(400, "party_size must be between 1 and 8")

    with engine.begin() as conn:
        taken = conn.execute(
            text(
                "UPDATE hut_nights SET bunks_free = bunks_free - :n "
                "WHERE hut_id = :hut AND night = :night AND bunks_free >= :n"
            ),
            {"n": party, "hut": hut_id, "night": night},
        )
        if taken.rowcount != 1:
            return jsonify(error="not enough bunks that night"), 409
        alloc_id = conn.execute(
            text(
                "INSERT INTO bunk_allocations (hut_id, night, member_id, party_size) "
                "VALUES (:hut, :night, :member, :n) RETURNING id"
            ),
            {"hut": hut_id, "night": night, "member": g.member.id, "n": party},
        ).scalar_one()

    return jsonify(id=alloc_id, hut_id=hut_id, night=night.isoformat(), party_size=party), 201
