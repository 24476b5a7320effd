"""Community fridge inventory API (Flask).

Volunteers log restocks from the donation drop-off; neighbours mark items as taken
from the tablet mounted next to each fridge.
"""
import logging

import requests
from flask import Blueprint, abort, jsonify, request
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from .auth import volunteer_required
from .extensions import db
from .models import Donation, Fridge, FridgeItem

bp = Blueprint("inventory", __name__, url_prefix="/fridges")
log = logging.getLogger(__name__)

PAGE_SIZE = 50
sensor_http = requests.Session()  # temperature sensor hub on the LAN


@bp.get("/<int:fridge_id>/items")
def list_items(fridge_id):
    page = max(int(request.args.get("page", 1)), 1)
    q = (
        FridgeItem.query.filter_by(fridge_id=fridge_id)
        .filter(FridgeItem.quantity > 0)
        .order_by(FridgeItem.category, FridgeItem.name)
    )
    items = q.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).all()
    return jsonify(page=page, items=[i.to_dict() for i in items])


@bp.post("/<int:fridge_id>/items")
@volunteer_required
def add_item(fridge_id):
    data = request.get_json()
    item = FridgeItem(fridge_id=fridge_id, name=data["name"].strip().lower(),
                      category=data.get("category", "other"), quantity=int(data.get("qty", 0)))
    db.session.add(item)
    try:
        db.session.commit()
    except IntegrityError:  # unique (fridge_id, name)
        db.session.rollback()
        return jsonify(error="item already listed, use restock"), 409
    return jsonify(item.to_dict()), 201


@bp.post("/<int:fridge_id>/items/<int:item_id>/take")
def take_item(fridge_id, item_id):
    qty = int(request.get_json(silent=True, force=True).get("qty", 1))
    if qty < 1:
        abort(400)
    # one conditional UPDATE so two people at the tablet can't both take the last one
    res = db.session.execute(
        update(FridgeItem)
        .where(FridgeItem.id == item_id, FridgeItem.fridge_id == fridge_id, FridgeItem.quantity >= qty)
        .values(quantity=FridgeItem.quantity - qty)
    )
    if res.rowcount == 0:
        db.session.rollback()
        return jsonify(error="not enough left"), 409
    db.session.commit()
    return jsonify(ok=True)


@bp.post("/<int:fridge_id>/items/<int:item_id>/restock")
@volunteer_required
def restock_item(fridge_id, item_id):
    data = request.get_json()
    added = int(data["qty"])
    if added < 1:
        abort(400)
    item = FridgeItem.query.filter_by(id=item_id, fridge_id=fridge_id).first_or_404()
    item.quantity = item.quantity + added
    db.session.add(Donation(fridge_id=fridge_id, item_id=item.id, qty=added, note=data.get("note", "")))
    db.session.commit()
    return jsonify(item.to_dict())


@bp.get("/<int:fridge_id>/status")
def fridge_status(fridge_id):
    fridge = db.get_or_404(Fridge, fridge_id)
    try:
        r = sensor_http.get(f"{fridge.sensor_url}/reading", timeout=(2, 4))
        r.raise_for_status()
        temp = r.json().get("celsius")
    except requests.RequestException as exc:
        log.warning("sensor for fridge %s unreachable: %s", fridge_id, exc)
        temp = None  # show "unknown" on the tablet
    return jsonify(name=fridge.name, temp_c=temp, safe=temp is not None and temp <= 5.0)
