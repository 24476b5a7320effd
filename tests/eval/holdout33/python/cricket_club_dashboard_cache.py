"""Club dashboard data for the Ashcombe VCC members' site.

The dashboard shows the same season figures to every member (net usage,
averages, availability for Saturday's XI), so it is cached once for the
whole club. Rebuilding runs a few heavy queries, so only one worker
rebuilds at a time; the others serve the previous copy meanwhile.
"""
import json
import logging
import secrets

import redis
from flask import Blueprint, g, jsonify
from sqlalchemy import text

from .auth import login_required
from .db import engine
from .settings import REDIS_URL

log = logging.getLogger(__name__)
bp = Blueprint("dashboard", __name__)

r = redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)

FRESH_KEY = "vcc:dashboard:fresh"
STALE_KEY = "vcc:dashboard:stale"
LOCK_KEY = "vcc:dashboard:rebuild-lock"
FRESH_TTL = 300
STALE_TTL = 24 * 3600

RELEASE_LOCK = r.register_script(
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
)


def _compute_dashboard() -> dict:
    with engine.connect() as conn:
        nets = conn.execute(text(
            "SELECT lane, count(*) FROM net_bookings "
            "WHERE slot_start >= date_trunc('year', now()) GROUP BY lane ORDER BY lane"
        )).all()
        batting = conn.execute(text(
            "SELECT m.display_name, sum(i.runs)::float / nullif(count(*) FILTER (WHERE i.out), 0) AS avg "
            "FROM innings i JOIN members m ON m.id = i.member_id "
            "WHERE i.season = extract(year FROM now()) GROUP BY m.display_name "
            "ORDER BY avg DESC NULLS LAST LIMIT 10"
        )).all()
    return {
        "nets_by_lane": {lane: n for lane, n in nets},
        "top_batting": [{"name": n, "avg": round(a or 0, 2)} for n, a in batting],
    }


def club_dashboard() -> dict | None:
    cached = r.get(FRESH_KEY)
    if cached is not None:
        return json.loads(cached)

    token = secrets.token_hex(8)
    if r.set(LOCK_KEY, token, nx=True, ex=60):
        try:
            data = _compute_dashboard()
            payload = json.dumps(data)
            with r.pipeline() as pipe:
                pipe.set(FRESH_KEY, payload, ex=FRESH_TTL)
                pipe.set(STALE_KEY, payload, ex=STALE_TTL)
                pipe.execute()
            return data
        finally:
            RELEASE_LOCK(keys=[LOCK_KEY], args=[token])

    # Someone else is rebuilding: serve the previous copy if there is one.
    stale = r.get(STALE_KEY)
    return json.loads(stale) if stale is not None else None


@bp.get("/dashboard")
@login_required
def dashboard():
    data = club_dashboard()
    if data is None:
        return jsonify(status="warming_up", greeting=f"Hello {g.member.first_name}"), 202
    return jsonify(status="ok", greeting=f"Hello {g.member.first_name}", **data)
