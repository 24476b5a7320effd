# Boathouse screen: outings per crew this season, plus a member's own log.
import threading
from datetime import date

from cachetools import TTLCache
from flask import Blueprint, g, jsonify, request
from sqlalchemy import func, select

from .db import db
from .models import Crew, Outing, OutingSeat

bp = Blueprint("outings", __name__)

# Same board for everyone; recomputed at most once a minute per worker.
_board_cache: TTLCache = TTLCache(maxsize=16, ttl=60)
_board_lock = threading.Lock()


def _compute_board(season_start: date) -> list[dict]:
    stmt = (
        select(Crew.name, func.count(Outing.id), func.coalesce(func.sum(Outing.distance_km), 0))
        .join(Outing, Outing.crew_id == Crew.id)
        .where(Outing.started_on >= season_start)
        .group_by(Crew.name)
        .order_by(func.count(Outing.id).desc())
        .limit(30)
    )
    return [
        {"crew": name, "outings": n, "km": float(km)}
        for name, n, km in db.session.execute(stmt)
    ]


def season_board(season_start: date) -> list[dict]:
    key = season_start.isoformat()
    # cachetools caches are not thread-safe; the lock also makes concurrent
    # misses wait for one recompute instead of each running the query
    with _board_lock:
        board = _board_cache.get(key)
        if board is None:
            board = _compute_board(season_start)
            _board_cache[key] = board
    return board


@bp.get("/outings/board")
def board():
    today = date.today()
    season_start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    return jsonify(season_start=season_start.isoformat(), crews=season_board(season_start))


@bp.get("/outings/mine")
def my_outings():
    limit = min(request.args.get("limit", 25, type=int), 100)
    before = request.args.get("before", type=int)
    stmt = (
        select(Outing.id, Outing.started_on, Outing.boat_name, Outing.distance_km, OutingSeat.seat)
        .join(OutingSeat, OutingSeat.outing_id == Outing.id)
        .where(OutingSeat.member_id == g.member.id)
        .order_by(Outing.id.desc())
        .limit(limit)
    )
    if before:
        stmt = stmt.where(Outing.id < before)
    rows = db.session.execute(stmt).all()
    return jsonify(
        outings=[
            {
                "id": r.id,
                "date": r.started_on.isoformat(),
                "boat": r.boat_name,
                "km": float(r.distance_km or 0),
                "seat": r.seat,
            }
            for r in rows
        ],
        next_before=rows[-1].id if len(rows) == limit else None,
    )
