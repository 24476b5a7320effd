"""Heritage apple grafting orders - catalogue and quotes for the orchard group's winter
grafting day. Members log in to order scions of old local varieties on chosen rootstocks.

Served by gunicorn (-w 3) on the group's small VPS; Redis is shared by the workers.
"""
import json
import os
from decimal import Decimal

import redis
from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required
from sqlalchemy import select

from .db import db
from .models import Rootstock, Variety, current_season, postage_band_for

bp = Blueprint("grafting", __name__, url_prefix="/grafting")

cache = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2)
CATALOGUE_TTL = 600

# (variety_id, rootstock, quantity, postcode) -> quote dict
_quote_cache = {}


def _catalogue_for(user_id: int) -> list[dict]:
    key = f"grafting:catalogue:{user_id}"
    raw = cache.get(key)
    if raw is not None:
        return json.loads(raw)

    rows = db.session.execute(
        select(Variety.id, Variety.name, Variety.origin_parish, Variety.scions_left, Variety.notes)
        .where(Variety.season == current_season(), Variety.is_listed.is_(True))
        .order_by(Variety.name)
    ).all()
    data = [
        {"id": r.id, "name": r.name, "origin": r.origin_parish, "scions_left": r.scions_left, "notes": r.notes}
        for r in rows
    ]
    cache.set(key, json.dumps(data), ex=CATALOGUE_TTL)
    return data


@bp.get("/catalogue")
@login_required
def catalogue():
    return jsonify(varieties=_catalogue_for(current_user.id))


@bp.get("/quote")
@login_required
def quote():
    try:
        variety_id = int(request.args["variety"])
        quantity = int(request.args.get("qty", 1))
    except (KeyError, ValueError):
        abort(400, "variety and qty are required")
    rootstock_code = request.args.get("rootstock", "MM106")
    postcode = request.args.get("postcode", "").upper().replace(" ", "")

    key = (variety_id, rootstock_code, quantity, postcode)
    if key in _quote_cache:
        return jsonify(_quote_cache[key])

    variety = db.session.get(Variety, variety_id)
    rootstock = db.session.scalar(select(Rootstock).where(Rootstock.code == rootstock_code))
    if variety is None or rootstock is None:
        abort(404)

    unit = Decimal(variety.scion_price) + Decimal(rootstock.price)
    postage = postage_band_for(postcode, parcels=max(1, quantity // 10))
    result = {
        "variety": variety.name,
        "rootstock": rootstock.code,
        "vigour": rootstock.vigour,
        "quantity": quantity,
        "unit_price": str(unit),
        "postage": str(postage),
        "total": str(unit * quantity + postage),
    }
    _quote_cache[key] = result
    return jsonify(result)
