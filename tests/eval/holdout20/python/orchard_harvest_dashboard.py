"""Harvest summary for the orchard manager's dashboard.

The same summary is shown on the packhouse wall screens and on every
supervisor's tablet; they all poll it every 30 seconds during picking.
"""
import json
import os
from datetime import date

import redis
from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import text
from sqlalchemy.orm import Session

from .auth import User, current_user
from .db import get_session

router = APIRouter(prefix="/orchards", tags=["harvest"])

cache = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=1.0, socket_connect_timeout=1.0)
SUMMARY_TTL_S = 300

# Kilos per block, variety and ISO week, plus grade mix and picker productivity.
SUMMARY_SQL = text(
    """
    SELECT b.name AS block,
           v.name AS variety,
           date_trunc('week', h.picked_at)::date AS week,
           SUM(h.net_kg) AS kg,
           SUM(h.net_kg) FILTER (WHERE h.grade = 'class_1') / NULLIF(SUM(h.net_kg), 0) AS class1_share,
           COUNT(DISTINCT h.picker_id) AS pickers,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY h.net_kg / NULLIF(h.hours, 0)) AS median_kg_per_hour
      FROM harvest_logs h
      JOIN blocks b ON b.id = h.block_id
      JOIN varieties v ON v.id = h.variety_id
     WHERE b.orchard_id = :orchard_id
       AND h.picked_at >= :season_start AND h.picked_at < :season_end
     GROUP BY b.name, v.name, week
     ORDER BY week, b.name, v.name
    """
)


def _season_bounds(season: int) -> tuple[date, date]:
    # Southern-hemisphere orchards: the season runs July to June.
    return date(season - 1, 7, 1), date(season, 7, 1)


@router.get("/{orchard_id}/harvest/summary")
def harvest_summary(
    orchard_id: int,
    season: int,
    user: User = Depends(current_user),
    session: Session = Depends(get_session),
):
    if orchard_id not in user.orchard_ids:
        raise HTTPException(status_code=403, detail="No access to this orchard")

    key = f"harvest:summary:{orchard_id}:{season}"
    cached = cache.get(key)
    if cached is not None:
        return json.loads(cached)

    start, end = _season_bounds(season)
    rows = session.execute(
        SUMMARY_SQL, {"orchard_id": orchard_id, "season_start": start, "season_end": end}
    ).mappings().all()

    weeks: dict[str, list[dict]] = {}
    total = 0.0
    for row in rows:
        kg = float(row["kg"] or 0)
        total += kg
        weeks.setdefault(row["week"].isoformat(), []).append(
            {
                "block": row["block"],
                "variety": row["variety"],
                "kg": round(kg, 1),
                "class1_share": round(float(row["class1_share"] or 0), 3),
                "pickers": row["pickers"],
                "median_kg_per_hour": round(float(row["median_kg_per_hour"] or 0), 1),
            }
        )

    payload = {"orchard_id": orchard_id, "season": season, "total_kg": round(total, 1), "weeks": weeks}
    cache.setex(key, SUMMARY_TTL_S, json.dumps(payload))
    return payload
