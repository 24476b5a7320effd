"""Registrations for the Three Pikes fell race.

Entry is capped (the National Trust permit allows 350 runners). A runner gets
a place held for 20 minutes while they pay, then confirms via an emailed link.
Production: gunicorn -w 4 --threads 2 on two droplets behind a load balancer.
"""
import secrets
from datetime import datetime, timedelta, timezone

from flask import Flask, abort, jsonify, request, url_for

from fellrace.db import pool
from fellrace.mail import send_confirm_link

app = Flask(__name__)

HOLD_MINUTES = 20

# token -> hold id, filled when the confirmation email goes out
pending_confirmations: dict[str, int] = {}


@app.post("/races/<int:race_id>/hold")
def hold_place(race_id: int):
    body = request.get_json(force=True)
    runner_id = int(body["runner_id"])
    now = datetime.now(timezone.utc)

    with pool.connection() as conn, conn.cursor() as cur:
        # serialise allocation for this race
        cur.execute("SELECT capacity FROM races WHERE id = %s FOR UPDATE", (race_id,))
        row = cur.fetchone()
        if row is None:
            abort(404)
        capacity = row[0]

        cur.execute(
            """
            SELECT
              (SELECT COUNT(*) FROM entries WHERE race_id = %s) +
              (SELECT COUNT(*) FROM place_holds WHERE race_id = %s AND expires_at > %s)
            """,
            (race_id, race_id, now),
        )
        used = cur.fetchone()[0]
        if used >= capacity:
            return jsonify(error="race full - join the waiting list"), 409

        cur.execute(
            "INSERT INTO place_holds (race_id, runner_id, expires_at) VALUES (%s, %s, %s) RETURNING id",
            (race_id, runner_id, now + timedelta(minutes=HOLD_MINUTES)),
        )
        hold_id = cur.fetchone()[0]
        conn.commit()

    token = secrets.token_urlsafe(24)
    pending_confirmations[token] = hold_id
    send_confirm_link(runner_id, url_for("confirm_place", token=token, _external=True))
    return jsonify(hold_id=hold_id, expires_in_minutes=HOLD_MINUTES), 201


@app.get("/confirm/<token>")
def confirm_place(token: str):
    hold_id = pending_confirmations.pop(token, None)
    if hold_id is None:
        abort(404)

    with pool.connection() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT race_id, runner_id FROM place_holds WHERE id = %s AND expires_at > now()",
            (hold_id,),
        )
        row = cur.fetchone()
        if row is None:
            return jsonify(error="hold expired, please start again"), 410
        race_id, runner_id = row
        cur.execute(
            "INSERT INTO entries (race_id, runner_id, confirmed_at) VALUES (%s, %s, now()) "
            "ON CONFLICT (race_id, runner_id) DO NOTHING",
            (race_id, runner_id),
        )
        # the place is now an entry, so the hold no longer counts against capacity
        cur.execute("DELETE FROM place_holds WHERE id = %s", (hold_id,))
        conn.commit()
    return jsonify(status="confirmed", race_id=race_id)
