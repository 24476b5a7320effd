"""
Stall allocation for the Saturday farmers' markets.

Each market (tenant) has its own stall map; managers assign vendors to stalls per
market day. Opening morning is a scramble, so two managers often click the same stall.
"""
from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .models import Stall, StallAssignment, StallType, Vendor

bp = Blueprint("stalls", __name__, url_prefix="/api/stalls")

MAX_PAGE = 100


def _market_id() -> int:
    return current_user.market_id


@bp.get("/types/<int:type_id>")
def stall_type(type_id):
    # stall types (corner, double, power hook-up) are a shared catalogue, no market_id column
    st = db.session.get(StallType, type_id)
    if st is None:
        abort(404)
    return jsonify(id=st.id, name=st.name, width_m=float(st.width_m), has_power=st.has_power)


@bp.get("/days/<int:day_id>/vendors")
@login_required
def vendors_for_day(day_id):
    per_page = min(request.args.get("per_page", 50, type=int), MAX_PAGE)
    page = max(request.args.get("page", 1, type=int), 1)
    rows = db.session.execute(
        select(Vendor.id, Vendor.name, Stall.code)
        .join(StallAssignment, StallAssignment.vendor_id == Vendor.id)
        .join(Stall, Stall.id == StallAssignment.stall_id)
        .where(StallAssignment.market_day_id == day_id, StallAssignment.market_id == _market_id())
        .order_by(Stall.code)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return jsonify([{"vendor_id": r.id, "vendor": r.name, "stall": r.code} for r in rows])


@bp.post("/days/<int:day_id>/assign")
@login_required
def assign_stall(day_id):
    body = request.get_json()

    # lock the stall row: a second manager assigning the same stall waits here
    stall = db.session.scalars(
        select(Stall)
        .where(Stall.id == body["stall_id"], Stall.market_id == _market_id())
        .with_for_update()
    ).first()
    if stall is None:
        abort(404)

    taken = db.session.scalar(
        select(StallAssignment.id).where(
            StallAssignment.stall_id == stall.id,
            StallAssignment.market_day_id == day_id,
            StallAssignment.market_id == _market_id(),
        )
    )
    if taken:
        db.session.rollback()
        return jsonify(error="stall already assigned for that day"), 409

    vendor_ok = db.session.scalar(
        select(Vendor.id).where(Vendor.id == body["vendor_id"], Vendor.market_id == _market_id())
    )
    if not vendor_ok:
        db.session.rollback()
        abort(404)

    db.session.add(StallAssignment(
        market_id=_market_id(), market_day_id=day_id, stall_id=stall.id, vendor_id=body["vendor_id"],
    ))
    # stall fee goes on the vendor's tab in the same transaction, computed in SQL
    db.session.execute(
        update(Vendor)
        .where(Vendor.id == body["vendor_id"], Vendor.market_id == _market_id())
        .values(fees_due_cents=Vendor.fees_due_cents + stall.day_fee_cents)
    )
    try:
        db.session.commit()
    except IntegrityError:
        # uq_assignment_vendor_day: one stall per vendor per market day
        db.session.rollback()
        return jsonify(error="vendor already has a stall that day"), 409
    return jsonify(stall=stall.code, vendor_id=body["vendor_id"]), 201


@bp.delete("/days/<int:day_id>/assign/<int:stall_id>")
@login_required
def release_stall(day_id, stall_id):
    res = db.session.execute(
        StallAssignment.__table__.delete().where(
            StallAssignment.stall_id == stall_id,
            StallAssignment.market_day_id == day_id,
            StallAssignment.market_id == _market_id(),
        )
    )
    db.session.commit()
    if res.rowcount == 0:
        abort(404)
    return "", 204
