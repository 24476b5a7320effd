"""Village hall piano tuning bookings.

Hall committees book the visiting tuner through this small Flask app; each
confirmed booking is pushed to the tuner's own calendar service.

Deployed with: gunicorn -w 4 -b 0.0.0.0:8000 piano_tuning_bookings:app
"""
import logging
import os
import time
from collections import defaultdict, deque
from datetime import date
from threading import Lock

import requests
from flask import Flask, abort, g, jsonify, request, session
from sqlalchemy import create_engine, text

log = logging.getLogger("piano")

engine = create_engine(os.environ["DATABASE_URL"], pool_size=5, pool_pre_ping=True)
TUNER_CALENDAR_URL = os.environ["TUNER_CALENDAR_URL"]

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]

MAX_BOOKINGS_PER_HOUR = 5
_booking_attempts: dict[int, deque] = defaultdict(deque)
_attempts_lock = Lock()


@app.before_request
def load_committee():
    g.committee_id = session.get("committee_id")


def too_many_attempts(committee_id: int) -> bool:
    now = time.monotonic()
    with _attempts_lock:
        window = _booking_attempts[committee_id]
        while window and now - window[0] > 3600:
            window.popleft()
        if len(window) >= MAX_BOOKINGS_PER_HOUR:
            return True
        window.append(now)
        return False


def push_to_tuner_calendar(booking: dict) -> str:
    last_exc = None
    for attempt in range(3):
        try:
            resp = requests.post(f"{TUNER_CALENDAR_URL}/events", json=booking, timeout=5)
            resp.raise_for_status()
            return resp.json()["event_id"]
        except requests.RequestException as exc:
            last_exc = exc
            log.warning("calendar push failed (attempt %d): %s", attempt + 1, exc)
            time.sleep(1)
    raise RuntimeError("tuner calendar unavailable") from last_exc


@app.post("/halls/<int:hall_id>/tunings")
def book_tuning(hall_id: int):
    if g.committee_id is None:
        abort(401)
    if too_many_attempts(g.committee_id):
        abort(429)

    payload = request.get_json(force=True)
    requested = date.fromisoformat(payload["date"])
    pitch = int(payload.get("pitch_hz", 440))

    with engine.begin() as conn:
        hall = conn.execute(
            text("SELECT id, name, piano_model FROM halls WHERE id = :id AND committee_id = :c"),
            {"id": hall_id, "c": g.committee_id},
        ).mappings().first()
        if hall is None:
            abort(404)
        booking_id = conn.execute(
            text(
                "INSERT INTO tuning_bookings (hall_id, requested_date, pitch_hz, notes) "
                "VALUES (:h, :d, :p, :n) "
                "ON CONFLICT (hall_id, requested_date) DO NOTHING RETURNING id"
            ),
            {"h": hall_id, "d": requested, "p": pitch, "n": payload.get("notes", "")},
        ).scalar()
    if booking_id is None:
        abort(409, description="this hall already has a tuning on that date")

    event_id = push_to_tuner_calendar(
        {
            "title": f"Tune {hall['piano_model']} at {hall['name']}",
            "date": requested.isoformat(),
            "pitch_hz": pitch,
            "reference": f"booking-{booking_id}",
        }
    )
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE tuning_bookings SET calendar_event_id = :e WHERE id = :id"),
            {"e": event_id, "id": booking_id},
        )
    return jsonify({"booking_id": booking_id, "calendar_event_id": event_id}), 201
