"""Dark-sky site permits: astronomers and photographers apply for overnight
access to the reserve's observing sites; rangers review the applications.

Deployed with: gunicorn -w 4 -b 0.0.0.0:8000 darksky.wsgi:app
"""
import json
import time
from datetime import datetime, timezone

import redis
from flask import Blueprint, abort, g, jsonify
from sqlalchemy import text

from .db import engine
from .auth import ranger_required

bp = Blueprint("permits", __name__, url_prefix="/ranger")

r = redis.Redis(host="redis.darksky.internal", port=6379, socket_timeout=2, decode_responses=True)

SKY_MAP_TTL = 300
REVIEW_CLAIM_SECONDS = 15 * 60

# permit_id -> (ranger_id, claimed_at); stops two rangers reviewing the same application
_review_claims: dict[int, tuple[int, float]] = {}


@bp.post("/permits/<int:permit_id>/claim")
@ranger_required
def claim_for_review(permit_id: int):
    now = time.time()
    holder = _review_claims.get(permit_id)
    if holder and holder[0] != g.ranger.id and now - holder[1] < REVIEW_CLAIM_SECONDS:
        abort(409, f"already being reviewed by ranger {holder[0]}")
    _review_claims[permit_id] = (g.ranger.id, now)
    return jsonify(permit_id=permit_id, claimed_by=g.ranger.id)


@bp.post("/permits/<int:permit_id>/decision/<string:decision>")
@ranger_required
def decide(permit_id: int, decision: str):
    if decision not in ("approve", "decline"):
        abort(400)
    with engine.begin() as conn:
        updated = conn.execute(
            text("UPDATE permits SET status = :status, decided_by = :ranger, decided_at = :now "
                 "WHERE id = :id AND status = 'pending'"),
            {"status": decision + "d", "ranger": g.ranger.id,
             "now": datetime.now(timezone.utc), "id": permit_id},
        ).rowcount
    if updated == 0:
        abort(409, "permit already decided")
    _review_claims.pop(permit_id, None)
    return jsonify(permit_id=permit_id, status=decision + "d")


@bp.get("/sky-quality")
@ranger_required
def sky_quality_map():
    """Median SQM reading per observing site over the last 90 nights, shown on
    the map rangers use to suggest alternative sites to applicants."""
    cached = r.get("darksky:sky_quality_map")
    if cached:
        return jsonify(json.loads(cached))

    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT s.id, s.name, s.lat, s.lon, "
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY m.sqm) AS median_sqm, "
            "count(*) AS readings "
            "FROM sqm_readings m JOIN observing_sites s ON s.id = m.site_id "
            "WHERE m.read_at > now() - interval '90 days' AND m.cloud_cover < 0.2 "
            "GROUP BY s.id, s.name, s.lat, s.lon"
        )).mappings().all()

    payload = {"sites": [dict(row, median_sqm=float(row["median_sqm"])) for row in rows]}
    r.set("darksky:sky_quality_map", json.dumps(payload), ex=SKY_MAP_TTL)
    return jsonify(payload)
