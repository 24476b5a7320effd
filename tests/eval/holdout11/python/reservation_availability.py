"""Availability + table-hold endpoints for the booking widget.

Runs as 3 replicas (k8s deployment `booking-api`), Redis for caching, Postgres for everything else.
"""
import json
import os
from datetime import date, datetime, timedelta, timezone

import redis
from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import create_engine, text

bp = Blueprint("availability", __name__)
engine = create_engine(os.environ["DATABASE_URL"], pool_size=10, pool_pre_ping=True)
r = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=1)

HOLD_MINUTES = 10

AVAILABILITY_SQL = text("""
    SELECT t.id AS table_id, t.seats, s.slot_start
    FROM restaurant_tables t
    JOIN service_slots s ON s.restaurant_id = t.restaurant_id AND s.day = :day
    WHERE t.restaurant_id = :rid
      AND NOT EXISTS (SELECT 1 FROM reservations res
                      WHERE res.table_id = t.id AND res.slot_start = s.slot_start
                        AND res.status IN ('confirmed', 'seated'))
      AND NOT EXISTS (SELECT 1 FROM table_holds h
                      WHERE h.table_id = t.id AND h.slot_start = s.slot_start
                        AND h.hold_until > now())
    ORDER BY s.slot_start, t.seats
""")


@bp.get("/restaurants/<int:rid>/availability")
def availability(rid):
    day = date.fromisoformat(request.args["day"])
    key = f"avail:{rid}:{day.isoformat()}"
    cached = r.get(key)
    if cached is None:
        with engine.connect() as conn:
            rows = conn.execute(AVAILABILITY_SQL, {"rid": rid, "day": day}).mappings().all()
        grid = {}
        for row in rows:
            grid.setdefault(row["slot_start"].strftime("%H:%M"), []).append(
                {"table_id": row["table_id"], "seats": row["seats"]}
            )
        cached = json.dumps(grid)
        r.set(key, cached, ex=30)
    return jsonify(json.loads(cached))


@bp.get("/restaurants/<int:rid>/menu")
@login_required
def menu(rid):
    key = f"menu:{rid}:{current_user.id}"
    hit = r.get(key)
    if hit:
        return jsonify(json.loads(hit))
    with engine.connect() as conn:
        items = conn.execute(
            text("SELECT section, name, description, price_cents FROM menu_items "
                 "WHERE restaurant_id = :rid AND active ORDER BY section, position"),
            {"rid": rid},
        ).mappings().all()
    payload = [dict(i) for i in items]
    r.set(key, json.dumps(payload), ex=600)
    return jsonify(payload)


def _place_hold(conn, rid, table_id, slot_start, session_id):
    # lock the table row so two guests can't grab the same slot at once
    locked = conn.execute(
        text("SELECT id FROM restaurant_tables WHERE id = :t AND restaurant_id = :rid FOR UPDATE"),
        {"t": table_id, "rid": rid},
    ).first()
    if locked is None:
        abort(404)
    taken = conn.execute(
        text("SELECT 1 FROM table_holds WHERE table_id = :t AND slot_start = :s AND hold_until > now() "
             "UNION ALL SELECT 1 FROM reservations WHERE table_id = :t AND slot_start = :s "
             "AND status IN ('confirmed', 'seated')"),
        {"t": table_id, "s": slot_start},
    ).first()
    if taken:
        return None
    until = datetime.now(timezone.utc) + timedelta(minutes=HOLD_MINUTES)
    conn.execute(
        text("INSERT INTO table_holds (table_id, slot_start, session_id, hold_until) VALUES (:t, :s, :sid, :u)"),
        {"t": table_id, "s": slot_start, "sid": session_id, "u": until},
    )
    return until


@bp.post("/restaurants/<int:rid>/holds")
def hold(rid):
    body = request.get_json()
    with engine.begin() as conn:
        until = _place_hold(conn, rid, body["table_id"], datetime.fromisoformat(body["slot_start"]), body["session_id"])
    if until is None:
        abort(409, "slot just got taken")
    r.delete(f"avail:{rid}:{body['slot_start'][:10]}")
    return jsonify(held_until=until.isoformat()), 201
