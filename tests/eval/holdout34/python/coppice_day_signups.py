"""Signup endpoints for the woodland trust's coppicing work days.

Volunteers pick a day in the hazel coupe, we record the signup and email a
confirmation with the meeting point, kit list and the site leader's number.
"""
from datetime import date
from smtplib import SMTPException

from flask import Blueprint, abort, g, jsonify
from sqlalchemy import func, select

from .db import SessionLocal
from .mailer import send_confirmation
from .models import CoppiceDay, DaySignup

bp = Blueprint("coppice", __name__, url_prefix="/api/coppice")


@bp.get("/days")
def upcoming_days():
    """Next few work days, soonest first."""
    with SessionLocal() as session:
        days = session.execute(
            select(CoppiceDay)
            .where(CoppiceDay.day >= date.today())
            .order_by(CoppiceDay.day)
            .limit(30)
        ).scalars().all()
        return jsonify([d.to_dict() for d in days])


@bp.get("/days/<int:day_id>")
def day_detail(day_id: int):
    with SessionLocal() as session:
        day = session.get(CoppiceDay, day_id)
        if day is None:
            abort(404)
        return jsonify(day.to_dict())


@bp.post("/days/<int:day_id>/signups")
def sign_up(day_id: int):
    volunteer = g.current_volunteer

    with SessionLocal() as session:
        day = session.get(CoppiceDay, day_id)
        if day is None or day.day < date.today():
            abort(404)

        # Each day is capped by the number of billhooks and the site leader's
        # ratio (one leader per eight volunteers).
        taken = session.scalar(
            select(func.count(DaySignup.id)).where(DaySignup.day_id == day_id)
        )
        if taken >= day.capacity:
            return jsonify(error="This day is full - try the waiting list"), 409

        signup = DaySignup(
            day_id=day_id,
            volunteer_id=volunteer.id,
            needs_lift=bool(volunteer.needs_lift),
        )
        session.add(signup)
        session.commit()
        day_info = day.to_dict()
        signup_id = signup.id

    try:
        send_confirmation(
            to=volunteer.email,
            subject=f"Coppicing day {day_info['day']}",
            template="coppice_confirmation.txt",
            context={"day": day_info, "name": volunteer.first_name},
        )
    except SMTPException:
        return jsonify(id=signup_id, status="booked"), 201

    return jsonify(id=signup_id, status="booked", emailed=True), 201


@bp.delete("/signups/<int:signup_id>")
def cancel(signup_id: int):
    volunteer = g.current_volunteer
    with SessionLocal() as session:
        signup = session.get(DaySignup, signup_id)
        if signup is None or signup.volunteer_id != volunteer.id:
            abort(404)
        session.delete(signup)
        session.commit()
    return "", 204
