"""Practice-night sign-up for the St Wilfrid's ringing tower.

Ringers claim a rope on a practice evening. Each slot has a fixed number of
ropes (six on Tuesdays, eight on Fridays when the back bells are up).
Served by gunicorn -w 4 behind the diocesan nginx box.
"""
from datetime import datetime, timezone
import logging

from flask import Blueprint, g, jsonify
from sqlalchemy import delete, func, select, text

from tower.db import SessionLocal
from tower.mail import send_confirmation
from tower.models import PracticeSlot, Ringer, SlotSignup

bp = Blueprint("slots", __name__, url_prefix="/api/slots")
log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(timezone.utc)


@bp.get("/upcoming")
def upcoming_slots():
    with SessionLocal() as db:
        slots = db.scalars(
            select(PracticeSlot)
            .where(PracticeSlot.starts_at >= _now())
            .order_by(PracticeSlot.starts_at)
            .limit(20)
        ).all()
        return jsonify([
            {"id": s.id, "starts_at": s.starts_at.isoformat(), "ropes": s.ropes, "method": s.method}
            for s in slots
        ])


@bp.post("/<int:slot_id>/signup")
def sign_up(slot_id: int):
    ringer_id = g.current_ringer.id
    with SessionLocal() as db:
        slot = db.get(PracticeSlot, slot_id)
        if slot is None:
            return jsonify(error="no such practice"), 404
        if slot.starts_at <= _now():
            return jsonify(error="practice already started"), 409

        # How many ropes are already spoken for this evening?
        taken = db.execute(
            text("SELECT COUNT(*) FROM slot_signups WHERE slot_id = :sid"),
            {"sid": slot_id},
        ).scalar_one()
        if taken >= slot.ropes:
            return jsonify(error="all ropes taken, try the waiting list"), 409

        db.add(SlotSignup(slot_id=slot_id, ringer_id=ringer_id, created_at=_now()))
        db.commit()

        ringer = db.get(Ringer, ringer_id)
        try:
            send_confirmation(ringer.email, slot)
        except Exception:
            pass

    return jsonify(status="ok", slot_id=slot_id), 201


@bp.delete("/<int:slot_id>/signup")
def withdraw(slot_id: int):
    ringer_id = g.current_ringer.id
    with SessionLocal() as db:
        result = db.execute(
            delete(SlotSignup).where(
                SlotSignup.slot_id == slot_id, SlotSignup.ringer_id == ringer_id
            )
        )
        db.commit()
    if result.rowcount == 0:
        return jsonify(error="you were not signed up"), 404
    log.info("ringer %s withdrew from slot %s", ringer_id, slot_id)
    return "", 204


@bp.get("/<int:slot_id>")
def slot_detail(slot_id: int):
    with SessionLocal() as db:
        slot = db.get(PracticeSlot, slot_id)
        if slot is None:
            return jsonify(error="no such practice"), 404
        taken = db.scalar(
            select(func.count()).select_from(SlotSignup).where(SlotSignup.slot_id == slot_id)
        )
        return jsonify(
            id=slot.id,
            starts_at=slot.starts_at.isoformat(),
            ropes=slot.ropes,
            free=max(slot.ropes - taken, 0),
        )
