"""Dial-a-ride request form for the Wyvern Valley community minibus.

Residents ask for a seat on a scheduled run; the volunteer coordinator
confirms by phone. Runs under gunicorn -w 4 behind the council's nginx.
"""
import time
from collections import defaultdict, deque
from datetime import date

from flask import Blueprint, abort, jsonify, request
from sqlalchemy.orm import contains_eager

from .db import db_session
from .models import DriverShift, RideRequest, Run

bp = Blueprint("rides", __name__, url_prefix="/rides")

WINDOW_SECONDS = 600
MAX_REQUESTS_PER_WINDOW = 5

# ip -> timestamps of recent form submissions
_recent_submissions: dict[str, deque] = defaultdict(deque)


def _client_ip() -> str:
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.remote_addr or "unknown"


def _over_limit(ip: str) -> bool:
    now = time.monotonic()
    stamps = _recent_submissions[ip]
    while stamps and now - stamps[0] > WINDOW_SECONDS:
        stamps.popleft()
    if len(stamps) >= MAX_REQUESTS_PER_WINDOW:
        return True
    stamps.append(now)
    return False


@bp.post("/requests")
def request_ride():
    if _over_limit(_client_ip()):
        return jsonify(error="Too many requests, please ring the office"), 429

    form = request.get_json(force=True)
    run = db_session.get(Run, int(form["run_id"]))
    if run is None or run.run_date < date.today():
        abort(404)

    ride = RideRequest(
        run_id=run.id,
        name=form["name"][:80],
        phone=form["phone"][:20],
        pickup_stop=form["pickup_stop"][:80],
        needs_wheelchair_space=bool(form.get("wheelchair")),
    )
    db_session.add(ride)
    db_session.commit()
    return jsonify(id=ride.id, status="pending"), 201


@bp.get("/runs/<run_date>/drivers")
def drivers_for_day(run_date):
    """Driver roster for one day, shown on the coordinator's board."""
    day = date.fromisoformat(run_date)
    shifts = (
        db_session.query(DriverShift)
        .join(DriverShift.run)
        .options(contains_eager(DriverShift.run))
        .filter(Run.run_date == day)
        .order_by(Run.departs_at)
        .limit(40)
        .all()
    )
    return jsonify(
        day=day.isoformat(),
        shifts=[
            {
                "run": s.run.route_name,
                "departs": s.run.departs_at.strftime("%H:%M"),
                "driver": s.driver_name,
            }
            for s in shifts
        ],
    )
