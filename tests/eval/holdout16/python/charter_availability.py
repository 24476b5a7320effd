# charters/availability.py -- quote + booking endpoints for the yacht fleet
from datetime import date
from decimal import Decimal, ROUND_HALF_UP

from flask import Blueprint, jsonify, request, abort
from sqlalchemy import text

from charters.db import db
from charters.auth import broker_required

bp = Blueprint("availability", __name__)

# peak season multipliers by month
SEASON = {6: Decimal("1.35"), 7: Decimal("1.50"), 8: Decimal("1.50"), 12: Decimal("1.20")}

# quotes are deterministic for (yacht, start, end, guests, skipper) so memoize them
_quote_cache = {}


def _parse_dates(d):
    try:
        s = date.fromisoformat(d["start"]); e = date.fromisoformat(d["end"])
    except (KeyError, ValueError):
        abort(400, "start/end required (YYYY-MM-DD)")
    if e <= s or (e - s).days > 60:
        abort(400, "bad date range")
    return s, e


def quote(yacht_id, start, end, guests, skipper):
    key = (yacht_id, start, end, guests, skipper)
    if key in _quote_cache:
        return _quote_cache[key]
    y = db.session.execute(
        text("SELECT day_rate, skipper_rate, max_guests, cleaning_fee FROM yachts WHERE id = :id AND active"),
        {"id": yacht_id}).mappings().first()
    if y is None or guests > y["max_guests"]:
        return None
    total = Decimal(0)
    for i in range((end - start).days):
        m = date.fromordinal(start.toordinal() + i).month
        total += y["day_rate"] * SEASON.get(m, Decimal(1))
    if skipper:
        total += y["skipper_rate"] * (end - start).days
    total = (total + y["cleaning_fee"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
    _quote_cache[key] = total
    return total


@bp.route("/yachts/<int:yacht_id>/quote", methods=["POST"])
def get_quote(yacht_id):
    d = request.get_json(force=True)
    s, e = _parse_dates(d)
    q = quote(yacht_id, s, e, int(d.get("guests", 2)), bool(d.get("skipper")))
    if q is None:
        abort(404)
    return jsonify(yacht_id=yacht_id, total=str(q), currency="EUR")


@bp.route("/yachts/<int:yacht_id>/bookings", methods=["POST"])
@broker_required
def book(yacht_id):
    d = request.get_json(force=True)
    s, e = _parse_dates(d)
    guests = int(d.get("guests", 2))
    skipper = bool(d.get("skipper"))

    clash = db.session.execute(text(
        "SELECT 1 FROM charter_bookings WHERE yacht_id = :y AND status <> 'cancelled' "
        "AND start_date < :e AND end_date > :s LIMIT 1"), {"y": yacht_id, "s": s, "e": e}).first()
    if clash:
        return jsonify(error="yacht not available for these dates"), 409

    price = quote(yacht_id, s, e, guests, skipper)
    if price is None:
        abort(404)
    row = db.session.execute(text(
        "INSERT INTO charter_bookings (yacht_id, broker_id, start_date, end_date, guests, skipper, price, status) "
        "VALUES (:y, :b, :s, :e, :g, :sk, :p, 'confirmed') RETURNING id"),
        {"y": yacht_id, "b": request.broker_id, "s": s, "e": e, "g": guests, "sk": skipper, "p": price}).first()
    db.session.commit()
    return jsonify(booking_id=row.id, total=str(price)), 201


@bp.route("/yachts/<int:yacht_id>/calendar")
def calendar(yacht_id):
    # one season window at most, so the result stays small
    s, e = _parse_dates({"start": request.args.get("from", ""), "end": request.args.get("to", "")})
    rows = db.session.execute(text(
        "SELECT start_date, end_date FROM charter_bookings WHERE yacht_id = :y AND status <> 'cancelled' "
        "AND start_date < :e AND end_date > :s ORDER BY start_date"), {"y": yacht_id, "s": s, "e": e}).all()
    return jsonify([{"start": r.start_date.isoformat(), "end": r.end_date.isoformat()} for r in rows])
