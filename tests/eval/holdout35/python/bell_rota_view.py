# Monthly ringing rota for the cathedral tower app.
# The tower captain publishes one rota per month; every ringer sees the same
# services and bell assignments, the front end just highlights their own name.

import time
from collections import defaultdict
from datetime import date

from flask import Blueprint, abort, jsonify
from flask_login import current_user, login_required
from sqlalchemy import text

from .extensions import db

bp = Blueprint("rota", __name__)

ROTA_TTL_SECONDS = 600
_rota_cache = {}


def _load_rota(tower_id: int, month_start: date) -> dict:
    rows = db.session.execute(
        text(
            "SELECT s.id, s.service_at, s.service_name, s.method, a.bell_number, r.display_name "
            "FROM rota_services s "
            "JOIN rota_assignments a ON a.service_id = s.id "
            "JOIN ringers r ON r.id = a.ringer_id "
            "WHERE s.tower_id = :tower_id "
            "AND s.service_at >= :start AND s.service_at < :start + interval '1 month' "
            "ORDER BY s.service_at, a.bell_number"
        ),
        {"tower_id": tower_id, "start": month_start},
    ).all()

    services: dict[int, dict] = {}
    bells = defaultdict(list)
    for row in rows:
        services.setdefault(
            row.id,
            {
                "service_at": row.service_at.isoformat(),
                "name": row.service_name,
                "method": row.method,
            },
        )
        bells[row.id].append({"bell": row.bell_number, "ringer": row.display_name})

    return {
        "tower_id": tower_id,
        "month": month_start.strftime("%Y-%m"),
        "services": [{**svc, "bells": bells[sid]} for sid, svc in services.items()],
    }


@bp.get("/towers/<int:tower_id>/rota/<month>")
@login_required
def monthly_rota(tower_id: int, month: str):
    if tower_id not in current_user.tower_ids:
        abort(403)
    try:
        month_start = date.fromisoformat(f"{month}-01")
    except ValueError:
        abort(400, "month must look like 2024-05")

    cache_key = f"rota:{current_user.id}:{tower_id}:{month}"
    hit = _rota_cache.get(cache_key)
    if hit is not None and hit[0] > time.monotonic():
        return jsonify(hit[1])

    rota = _load_rota(tower_id, month_start)
    _rota_cache[cache_key] = (time.monotonic() + ROTA_TTL_SECONDS, rota)
    return jsonify(rota)
