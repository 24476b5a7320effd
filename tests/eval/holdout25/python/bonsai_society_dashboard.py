"""Member dashboard for the regional bonsai society.

Flask app; Redis is used as the shared cache between the web workers.
"""
import json

import redis
from flask import Blueprint, jsonify, g
from sqlalchemy import text

from .db import engine

bp = Blueprint("dashboard", __name__)
cache = redis.Redis(host="redis", port=6379, db=1, socket_timeout=2)

CALENDAR_TTL = 600


def _load_show_calendar():
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, title, venue, opens_on, entries_close_on "
                "FROM society_shows WHERE opens_on >= current_date "
                "ORDER BY opens_on LIMIT 12"
            )
        ).mappings().all()
    return [dict(r) for r in rows]


@bp.get("/dashboard/calendar")
def show_calendar():
    """The society's upcoming shows, same list for all members."""
    key = f"dashboard:calendar:{g.member.id}"
    cached = cache.get(key)
    if cached:
        return jsonify(shows=json.loads(cached))
    shows = _load_show_calendar()
    cache.setex(key, CALENDAR_TTL, json.dumps(shows, default=str))
    return jsonify(shows=shows)


@bp.get("/dashboard/leaderboard")
def leaderboard():
    """All-time judging leaderboard shown on every member's dashboard."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                """
                SELECT m.id, m.display_name,
                       count(DISTINCT e.id)            AS exhibits,
                       avg(js.score)                   AS mean_score,
                       sum(CASE WHEN a.rank = 1 THEN 1 ELSE 0 END) AS golds,
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY js.score) AS p90
                FROM members m
                JOIN exhibits e        ON e.member_id = m.id
                JOIN judge_scores js   ON js.exhibit_id = e.id
                LEFT JOIN awards a     ON a.exhibit_id = e.id
                GROUP BY m.id, m.display_name
                ORDER BY mean_score DESC
                LIMIT 25
                """
            )
        ).mappings().all()
    return jsonify(leaders=[dict(r) for r in rows])


@bp.get("/dashboard/my-exhibits")
def my_exhibits():
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, species, style, entered_show_id, created_at "
                "FROM exhibits WHERE member_id = :mid "
                "ORDER BY created_at DESC LIMIT 30"
            ),
            {"mid": g.member.id},
        ).mappings().all()
    return jsonify(exhibits=[dict(r) for r in rows])
