"""Shelf space on the next kiln firings at Brookside Pottery co-op.

Members put pots on hold for a firing, then confirm once they've glazed.
Unconfirmed holds lapse after 45 minutes so the shelf space frees up.
The kiln controller posts temperature progress while a firing runs.

Deployed as three pods behind the co-op's ingress.
"""
from datetime import datetime, timedelta, timezone

from flask import Blueprint, abort, g, jsonify, request
from sqlalchemy import func, select

from .db import db
from .models import Firing, KilnHold

bp = Blueprint("kiln", __name__)

HOLD_MINUTES = 45

# firing id -> latest controller reading
_firing_progress: dict[int, dict] = {}


def _now():
    return datetime.now(timezone.utc)


@bp.post("/firings/<int:firing_id>/holds")
def place_hold(firing_id):
    shelves_wanted = int(request.json["shelves"])
    with db.session.begin():
        firing = db.session.scalars(
            select(Firing).where(Firing.id == firing_id).with_for_update()
        ).first()
        if firing is None or firing.status != "scheduled":
            abort(404)

        held = db.session.scalar(
            select(func.coalesce(func.sum(KilnHold.shelves), 0)).where(
                KilnHold.firing_id == firing_id,
                (KilnHold.confirmed.is_(True)) | (KilnHold.expires_at > _now()),
            )
        )
        if held + shelves_wanted > firing.shelf_capacity:
            return jsonify(error="not enough shelf space on this firing"), 409

        hold = KilnHold(
            firing_id=firing_id,
            member_id=g.member.id,
            shelves=shelves_wanted,
            confirmed=False,
            expires_at=_now() + timedelta(minutes=HOLD_MINUTES),
        )
        db.session.add(hold)
    return jsonify(hold_id=hold.id, expires_at=hold.expires_at.isoformat()), 201


@bp.post("/holds/<int:hold_id>/confirm")
def confirm_hold(hold_id):
    with db.session.begin():
        hold = db.session.get(KilnHold, hold_id, with_for_update=True)
        if hold is None or hold.member_id != g.member.id:
            abort(404)
        if not hold.confirmed and hold.expires_at <= _now():
            return jsonify(error="hold lapsed, please place a new one"), 410
        hold.confirmed = True
    return jsonify(confirmed=True)


@bp.post("/firings/<int:firing_id>/progress")
def controller_progress(firing_id):
    """Called every minute by the kiln controller's uploader."""
    reading = request.get_json(force=True)
    _firing_progress[firing_id] = {
        "temp_c": float(reading["temp_c"]),
        "segment": reading["segment"],
        "at": _now().isoformat(),
    }
    return "", 204


@bp.get("/firings/<int:firing_id>/progress")
def firing_progress(firing_id):
    reading = _firing_progress.get(firing_id)
    if reading is None:
        return jsonify(status="no reading yet"), 404
    return jsonify(reading)
