# Seat reservations for the community choir's spring concert.
# Runs under gunicorn -w 4 behind the village hall's nginx box.
import time
from collections import defaultdict, deque

from flask import Flask, abort, g, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

app = Flask(__name__)
app.config.from_prefixed_env()
db = SQLAlchemy(app)

WINDOW_SECONDS = 60
MAX_REQUESTS_PER_WINDOW = 20

# Sliding window of request timestamps per caller
_request_log: dict[str, deque] = defaultdict(deque)


def caller_address() -> str:
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.remote_addr or "unknown"


@app.before_request
def throttle():
    if not request.path.startswith("/api/"):
        return
    now = time.monotonic()
    window = _request_log[caller_address()]
    while window and now - window[0] > WINDOW_SECONDS:
        window.popleft()
    if len(window) >= MAX_REQUESTS_PER_WINDOW:
        abort(429, description="Too many requests, please wait a minute")
    window.append(now)


@app.get("/api/concerts/<int:concert_id>/seats")
def seat_map(concert_id: int):
    rows = db.session.execute(
        text(
            "SELECT seat_code, section, reserved_by IS NOT NULL AS taken "
            "FROM concert_seats WHERE concert_id = :cid ORDER BY section, seat_code LIMIT 400"
        ),
        {"cid": concert_id},
    ).mappings()
    return jsonify([dict(r) for r in rows])


@app.post("/api/concerts/<int:concert_id>/seats/<seat_code>/reserve")
def reserve_seat(concert_id: int, seat_code: str):
    member_id = g.get("member_id")
    if member_id is None:
        abort(401)

    # Conditional update: only succeeds if nobody has the seat yet
    result = db.session.execute(
        text(
            "UPDATE concert_seats SET reserved_by = :mid, reserved_at = now() "
            "WHERE concert_id = :cid AND seat_code = :seat AND reserved_by IS NULL"
        ),
        {"mid": member_id, "cid": concert_id, "seat": seat_code},
    )
    db.session.commit()
    if result.rowcount == 0:
        return jsonify({"error": "seat already reserved"}), 409
    return jsonify({"concert_id": concert_id, "seat": seat_code}), 201
