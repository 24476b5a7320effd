"""Scout hut hire: provisional holds while the hirer fills in the form.

When someone picks an evening on the calendar we put a 20-minute hold on it
so nobody else grabs it while they type their insurance details. Confirming
turns the hold into a booking.
"""
from datetime import datetime, timedelta, timezone

from flask import Blueprint, abort, g, jsonify, request
from sqlalchemy import text

from .db import engine

bp = Blueprint("hire", __name__, url_prefix="/hire")
HOLD_MINUTES = 20


@bp.get("/calendar")
def calendar():
    start = datetime.fromisoformat(request.args["from"])
    end = start + timedelta(days=35)
    with engine.connect() as conn:
        taken = conn.execute(
            text(
                "SELECT session_date, session_part FROM hut_bookings "
                "WHERE session_date >= :start AND session_date < :end "
                "UNION ALL "
                "SELECT session_date, session_part FROM hut_holds "
                "WHERE session_date >= :start AND session_date < :end AND expires_at > now()"
            ),
            {"start": start.date(), "end": end.date()},
        ).all()
    return jsonify([{"date": d.isoformat(), "part": p} for d, p in taken])


@bp.post("/holds")
def place_hold():
    body = request.get_json()
    session_date = body["date"]
    part = body["part"]  # "morning", "afternoon", "evening"

    with engine.begin() as conn:
        clash = conn.execute(
            text(
                "SELECT 1 FROM hut_bookings WHERE session_date = :d AND session_part = :p "
                "UNION ALL SELECT 1 FROM hut_holds WHERE session_date = :d AND session_part = :p "
                "AND expires_at > now() LIMIT 1"
            ),
            {"d": session_date, "p": part},
        ).first()
        if clash:
            return jsonify(error="Someone else has that slot"), 409

        expires = datetime.now(timezone.utc) + timedelta(minutes=HOLD_MINUTES)
        hold_id = conn.execute(
            text(
                "INSERT INTO hut_holds (hirer_id, session_date, session_part, expires_at) "
                "VALUES (:hirer, :d, :p, :exp) RETURNING id"
            ),
            {"hirer": g.hirer.id, "d": session_date, "p": part, "exp": expires},
        ).scalar_one()

    return jsonify(hold_id=hold_id, expires_at=expires.isoformat()), 201


@bp.post("/holds/<int:hold_id>/confirm")
def confirm(hold_id: int):
    body = request.get_json()
    with engine.begin() as conn:
        hold = conn.execute(
            text(
                "DELETE FROM hut_holds WHERE id = :id AND hirer_id = :hirer "
                "AND expires_at > now() RETURNING session_date, session_part"
            ),
            {"id": hold_id, "hirer": g.hirer.id},
        ).first()
        if hold is None:
            abort(410, "Your hold has run out, please pick the slot again")

        booking_id = conn.execute(
            text(
                "INSERT INTO hut_bookings (hirer_id, session_date, session_part, group_name, "
                "insurance_ref) VALUES (:hirer, :d, :p, :group, :ins) RETURNING id"
            ),
            {
                "hirer": g.hirer.id,
                "d": hold.session_date,
                "p": hold.session_part,
                "group": body["group_name"],
                "ins": body["insurance_ref"],
            },
        ).scalar_one()
    return jsonify(booking_id=booking_id), 201
