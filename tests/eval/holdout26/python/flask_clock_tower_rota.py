"""Winding rota for the town-hall clock tower volunteers.

The clock needs winding every 8 days and the chimes checked weekly. The rota
page shows the month's duties for the whole team, with each volunteer's name
and the key-holder for that week.
"""
from calendar import monthrange
from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_caching import Cache
from flask_login import current_user, login_required
from sqlalchemy import select

from tower.db import db
from tower.models import Duty, Volunteer

bp = Blueprint("rota", __name__, url_prefix="/rota")
cache = Cache(config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": "redis://cache:6379/2"})

ROTA_TTL_SECONDS = 15 * 60


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def _load_rota(year: int, month: int) -> list[dict]:
    first, last = _month_bounds(year, month)
    rows = db.session.execute(
        select(Duty.day, Duty.kind, Volunteer.display_name, Volunteer.is_key_holder)
        .join(Volunteer, Volunteer.id == Duty.volunteer_id)
        .where(Duty.day.between(first, last))
        .order_by(Duty.day, Duty.kind)
    ).all()
    return [
        {
            "day": r.day.isoformat(),
            "kind": r.kind,            # "wind", "chime-check", "oil"
            "volunteer": r.display_name,
            "key_holder": r.is_key_holder,
        }
        for r in rows
    ]


@bp.get("/")
@login_required
def month_view():
    today = date.today()
    try:
        year = int(request.args.get("year", today.year))
        month = int(request.args.get("month", today.month))
        _month_bounds(year, month)
    except ValueError:
        abort(400)

    cache_key = f"rota:{current_user.id}:{year}-{month:02d}"
    duties = cache.get(cache_key)
    if duties is None:
        duties = _load_rota(year, month)
        cache.set(cache_key, duties, timeout=ROTA_TTL_SECONDS)

    mine = [d for d in duties if d["volunteer"] == current_user.display_name]
    return render_template(
        "rota/month.html",
        year=year,
        month=month,
        duties=duties,
        my_duties=mine,
    )


@bp.post("/swap")
@login_required
def request_swap():
    duty = db.session.get(Duty, request.form.get("duty_id", type=int))
    if duty is None or duty.volunteer_id != current_user.id:
        abort(404)
    duty.swap_requested = True
    db.session.commit()
    return render_template("rota/swap_requested.html", duty=duty)
