"""Sign-up form for the Harbour Lantern Parade making workshops.

Served by gunicorn -w 4 on two app servers behind the council's load
balancer. Places go fast when the workshop list is announced on Facebook,
so sign-ups are throttled per visitor.
"""
import time
from collections import defaultdict, deque

from flask import Flask, jsonify, render_template, request
from psycopg_pool import ConnectionPool

app = Flask(__name__)
app.config.from_prefixed_env()

pool = ConnectionPool(app.config["DATABASE_URL"], min_size=2, max_size=10)

WINDOW_SECONDS = 60
MAX_SIGNUPS_PER_WINDOW = 5
_recent_signups: dict[str, deque] = defaultdict(deque)


def _client_ip() -> str:
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.remote_addr or "unknown"


def _allow(ip: str) -> bool:
    now = time.monotonic()
    window = _recent_signups[ip]
    while window and now - window[0] > WINDOW_SECONDS:
        window.popleft()
    if len(window) >= MAX_SIGNUPS_PER_WINDOW:
        return False
    window.append(now)
    return True


@app.get("/workshops")
def workshops():
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT id, title, starts_at, capacity - places_taken AS free "
            "FROM workshops WHERE starts_at > now() ORDER BY starts_at LIMIT 30"
        ).fetchall()
    return render_template("workshops.html", workshops=rows)


@app.post("/workshops/<int:workshop_id>/signup")
def signup(workshop_id: int):
    if not _allow(_client_ip()):
        return jsonify(error="too many sign-ups, try again in a minute"), 429

    form = request.get_json(force=True)
    name = form["name"].strip()[:120]
    email = form["email"].strip().lower()[:254]
    children = max(0, min(int(form.get("children", 0)), 4))

    with pool.connection() as conn, conn.transaction():
        cur = conn.execute(
            "UPDATE workshops SET places_taken = places_taken + %s "
            "WHERE id = %s AND places_taken + %s <= capacity",
            (1 + children, workshop_id, 1 + children),
        )
        if cur.rowcount != 1:
            return jsonify(error="workshop is full"), 409
        conn.execute(
            "INSERT INTO workshop_places (workshop_id, name, email, children) "
            "VALUES (%s, %s, %s, %s)",
            (workshop_id, name, email, children),
        )
    return jsonify(ok=True), 201
