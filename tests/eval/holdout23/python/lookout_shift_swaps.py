# lookout/app.py -- wildfire lookout tower rota
#
# Volunteers staff the fire towers in 6-hour shifts during the dry season.
# Runs under `gunicorn -w 4 lookout.app:app` on two VMs, so sessions live in Redis.

import os
from datetime import date, timedelta

import redis
from flask import Flask, abort, jsonify, request, session
from flask_session import Session as ServerSession
from sqlalchemy import create_engine, select
from sqlalchemy.orm import sessionmaker

from .models import Shift, Tower, Volunteer

app = Flask(__name__)
app.config.update(
    SECRET_KEY=os.environ["LOOKOUT_SECRET_KEY"],
    SESSION_TYPE="redis",
    SESSION_REDIS=redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2),
    SESSION_PERMANENT=False,
)
ServerSession(app)

engine = create_engine(os.environ["DATABASE_URL"], pool_size=5, pool_pre_ping=True)
SessionLocal = sessionmaker(engine, expire_on_commit=False)


def _volunteer_id() -> int:
    vid = session.get("volunteer_id")
    if vid is None:
        abort(401)
    return vid


@app.get("/towers/<int:tower_id>/shifts")
def tower_shifts(tower_id: int):
    start = date.fromisoformat(request.args.get("from", date.today().isoformat()))
    end = start + timedelta(days=7)
    with SessionLocal() as db:
        rows = db.execute(
            select(Shift.id, Shift.starts_at, Shift.ends_at, Volunteer.display_name)
            .join(Volunteer, Shift.volunteer_id == Volunteer.id, isouter=True)
            .where(Shift.tower_id == tower_id, Shift.starts_at >= start, Shift.starts_at < end)
            .order_by(Shift.starts_at)
            .limit(28)
        ).all()
    return jsonify([
        {"id": r.id, "starts_at": r.starts_at.isoformat(), "ends_at": r.ends_at.isoformat(),
         "volunteer": r.display_name}
        for r in rows
    ])


@app.post("/shifts/<int:shift_id>/take")
def take_shift(shift_id: int):
    """Pick up an open shift, or take one over that its holder released for swap."""
    me = _volunteer_id()
    with SessionLocal.begin() as db:
        shift = db.execute(
            select(Shift).where(Shift.id == shift_id).with_for_update()
        ).scalar_one_or_none()
        if shift is None:
            abort(404)
        if shift.volunteer_id is not None and not shift.released_for_swap:
            return jsonify(error="shift already covered"), 409

        # Serialise "take" requests per volunteer by locking their row, so two
        # tabs can't each pass the overlap check below at the same moment.
        db.execute(select(Volunteer.id).where(Volunteer.id == me).with_for_update())
        clash = db.execute(
            select(Shift.id)
            .where(
                Shift.volunteer_id == me,
                Shift.starts_at < shift.ends_at,
                Shift.ends_at > shift.starts_at,
            )
            .limit(1)
        ).first()
        if clash:
            return jsonify(error="you already have an overlapping shift"), 409

        previous = shift.volunteer_id
        shift.volunteer_id = me
        shift.released_for_swap = False
    return jsonify(ok=True, shift_id=shift_id, replaced=previous)
