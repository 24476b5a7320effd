"""Volunteer shift rota for heritage tram restoration workshops.

Several tram societies share this platform; each request carries the
society of the logged-in coordinator in ``g.society_id``.
"""
from datetime import datetime

from flask import Blueprint, abort, g, jsonify, request
from sqlalchemy.orm import Session

from .db import get_db
from .models import Shift, ShiftSignup, Volunteer

bp = Blueprint("shifts", __name__, url_prefix="/api/shifts")


class ShiftRepository:
    def __init__(self, session: Session, society_id: int):
        self.session = session
        self.society_id = society_id

    def upcoming(self, limit: int = 50, after: datetime | None = None):
        q = self.session.query(Shift).filter(
            Shift.society_id == self.society_id,
            Shift.starts_at >= (after or datetime.utcnow()),
        )
        return q.order_by(Shift.starts_at).limit(limit).all()

    def get(self, shift_id: int) -> Shift | None:
        return self.session.query(Shift).filter(Shift.id == shift_id).one_or_none()

    def volunteers(self):
        q = self.session.query(Volunteer).filter(Volunteer.society_id == self.society_id)
        return q.order_by(Volunteer.surname, Volunteer.first_name).all()

    def signups_for(self, shift_id: int):
        return (
            self.session.query(ShiftSignup)
            .join(Shift, Shift.id == ShiftSignup.shift_id)
            .filter(Shift.society_id == self.society_id, ShiftSignup.shift_id == shift_id)
            .limit(100)
            .all()
        )


def repo() -> ShiftRepository:
    return ShiftRepository(get_db(), g.society_id)


@bp.get("/")
def list_shifts():
    limit = min(int(request.args.get("limit", 50)), 100)
    shifts = repo().upcoming(limit=limit)
    return jsonify([s.to_dict() for s in shifts])


@bp.get("/<int:shift_id>")
def shift_detail(shift_id: int):
    r = repo()
    shift = r.get(shift_id)
    if shift is None:
        abort(404)
    data = shift.to_dict()
    data["signups"] = [s.to_dict() for s in r.signups_for(shift_id)]
    return jsonify(data)


@bp.get("/volunteers/export")
def export_volunteers():
    """Everyone on the society's books, for the coordinator's spreadsheet."""
    rows = [
        {
            "name": f"{v.first_name} {v.surname}",
            "email": v.email,
            "skills": v.skills,  # e.g. ["woodwork", "electrics", "signwriting"]
            "joined": v.joined_on.isoformat(),
        }
        for v in repo().volunteers()
    ]
    return jsonify(rows)
