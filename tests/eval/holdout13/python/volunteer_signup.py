# Q: "Sometimes the same volunteer ends up signed up for a shift twice. How do I fix it?"
#
# Good catch -- that's a race condition between the "already signed up?" check and
# the INSERT. Here's the fixed version of your blueprint. I removed the SELECT-based
# duplicate check and added a UNIQUE constraint instead, so the database rejects the
# second row no matter how the requests interleave:
#
#   ALTER TABLE shift_signups
#     ADD CONSTRAINT uq_shift_signup UNIQUE (shift_id, volunteer_id);
#
# The IntegrityError is caught inside a SAVEPOINT and turned into a friendly 409.

from flask import Blueprint, abort, jsonify
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from .auth import current_volunteer
from .db import engine

bp = Blueprint("shifts", __name__)


@bp.post("/shifts/<int:shift_id>/signup")
def sign_up(shift_id: int):
    vol = current_volunteer()
    with engine.begin() as conn:
        shift = conn.execute(
            text("SELECT id, capacity, starts_at FROM shifts WHERE id = :id AND org_id = :org"),
            {"id": shift_id, "org": vol.org_id},
        ).mappings().first()
        if shift is None:
            abort(404)

        taken = conn.execute(
            text("SELECT count(*) FROM shift_signups WHERE shift_id = :id AND org_id = :org"),
            {"id": shift_id, "org": vol.org_id},
        ).scalar_one()
        if taken >= shift["capacity"]:
            return jsonify(error="Sorry, this shift is already full"), 409

        try:
            with conn.begin_nested():
                conn.execute(
                    text("INSERT INTO shift_signups (shift_id, volunteer_id, org_id) VALUES (:s, :v, :o)"),
                    {"s": shift_id, "v": vol.id, "o": vol.org_id},
                )
        except IntegrityError:
            return jsonify(error="You're already signed up for this shift"), 409

    return jsonify(ok=True, starts_at=shift["starts_at"].isoformat()), 201
