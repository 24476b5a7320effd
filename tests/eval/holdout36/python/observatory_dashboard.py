"""Members' dashboard for the dark-sky observatory.

Shows tonight's open telescope slots, the latest seeing / cloud readings from
the roof sensors and the season's observing statistics.
"""
import json
from datetime import date

import redis
from fastapi import APIRouter, Depends
from sqlalchemy import text
from sqlalchemy.orm import Session

from .auth import current_member
from .config import settings
from .db import get_db

router = APIRouter()
cache = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)

DASHBOARD_TTL = 120
SEASON_STATS_TTL = 900


def open_slots_tonight(db: Session) -> list[dict]:
    rows = db.execute(
        text(
            "SELECT s.id, t.name AS telescope, s.starts_at, s.ends_at "
            "FROM telescope_slots s JOIN telescopes t ON t.id = s.telescope_id "
            "WHERE s.night = :night AND s.member_id IS NULL "
            "ORDER BY s.starts_at LIMIT 60"
        ),
        {"night": date.today()},
    ).mappings().all()
    return [dict(r) for r in rows]


def latest_conditions(db: Session) -> dict | None:
    row = db.execute(
        text(
            "SELECT taken_at, sky_quality_mag, cloud_pct, seeing_arcsec "
            "FROM roof_sensor_readings ORDER BY taken_at DESC LIMIT 1"
        )
    ).mappings().first()
    return dict(row) if row else None


def season_statistics(db: Session) -> list[dict]:
    raw = cache.get("obs:season-stats")
    if raw is not None:
        return json.loads(raw)

    # Scans the whole observation log for the season; a few seconds on the Pi-hosted DB.
    rows = db.execute(
        text(
            "SELECT t.name AS telescope, COUNT(*) AS sessions, "
            "SUM(EXTRACT(EPOCH FROM (o.ended_at - o.started_at))) / 3600 AS hours, "
            "COUNT(DISTINCT o.target_catalog_id) AS targets "
            "FROM observation_log o JOIN telescopes t ON t.id = o.telescope_id "
            "WHERE o.started_at >= date_trunc('year', now()) "
            "GROUP BY t.name ORDER BY hours DESC"
        )
    ).mappings().all()
    stats = [dict(r) for r in rows]
    cache.set("obs:season-stats", json.dumps(stats, default=str), ex=SEASON_STATS_TTL)
    return stats


@router.get("/dashboard")
def dashboard(member=Depends(current_member), db: Session = Depends(get_db)):
    key = f"dashboard:{member.id}:{date.today().isoformat()}"
    hit = cache.get(key)
    if hit is not None:
        return json.loads(hit)

    payload = {
        "open_slots": open_slots_tonight(db),
        "conditions": latest_conditions(db),
    }
    cache.set(key, json.dumps(payload, default=str), ex=DASHBOARD_TTL)
    return payload


@router.get("/dashboard/season")
def season(member=Depends(current_member), db: Session = Depends(get_db)):
    return {"season": date.today().year, "telescopes": season_statistics(db)}
