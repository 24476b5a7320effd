# app.py - bell foundry tour bookings
#
# Runs behind the council's nginx, `gunicorn -w 4 app:app` on one VM.
# Tours are small (the casting floor fits twelve), so we throttle the public
# booking form to stop bots hoovering up the Saturday slots.
import os
import time
from collections import defaultdict, deque

from flask import Flask, jsonify, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(
    os.environ["DATABASE_URL"],
    pool_size=5,
    pool_pre_ping=True,
    connect_args={"connect_timeout": 5},
)

WINDOW_SECONDS = 60
MAX_BOOKINGS_PER_WINDOW = 5
_recent_by_ip: dict[str, deque] = defaultdict(deque)


def client_ip() -> str:
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.remote_addr or "unknown"


def too_many(ip: str) -> bool:
    now = time.monotonic()
    hits = _recent_by_ip[ip]
    while hits and now - hits[0] > WINDOW_SECONDS:
        hits.popleft()
    if len(hits) >= MAX_BOOKINGS_PER_WINDOW:
        return True
    hits.append(now)
    return False


@app.get("/tours")
def tours():
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, starts_at, places_left FROM tour_slots "
                "WHERE starts_at > now() ORDER BY starts_at LIMIT 40"
            )
        ).mappings().all()
    return jsonify([dict(r) for r in rows])


@app.post("/tours/<int:slot_id>/book")
def book(slot_id: int):
    if too_many(client_ip()):
        return jsonify(error="Please wait a minute before booking again"), 429

    body = request.get_json(force=True)
    party = int(body.get("party_size", 1))
    if not 1 <= party <= 6:
        return jsonify(error="Parties of 1-6 only"), 400

    with engine.begin() as conn:
        taken = conn.execute(
            text(
                "UPDATE tour_slots SET places_left = places_left - :n "
                "WHERE id = :id AND places_left >= :n AND starts_at > now()"
            ),
            {"n": party, "id": slot_id},
        )
        if taken.rowcount == 0:
            return jsonify(error="Not enough places left on that tour"), 409

        booking_id = conn.execute(
            text(
                "INSERT INTO tour_bookings (slot_id, name, email, party_size) "
                "VALUES (:slot, :name, :email, :n) RETURNING id"
            ),
            {"slot": slot_id, "name": body["name"], "email": body["email"], "n": party},
        ).scalar_one()

    return jsonify(id=booking_id, party_size=party), 201
