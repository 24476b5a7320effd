"""Lichen survey dashboard API (FastAPI + redis-py).

Surveyors record which lichen species they find on each monitoring plot; the
dashboard shows the regional checklist and long-term trends per species.
"""
import json

import redis
from fastapi import APIRouter, Depends
from sqlalchemy import text
from sqlalchemy.orm import Session

from .auth import Surveyor, current_surveyor
from .db import get_session
from .settings import settings

router = APIRouter(prefix="/dashboard", tags=["dashboard"])

cache = redis.Redis.from_url(settings.redis_url, socket_timeout=2, decode_responses=True)

CHECKLIST_TTL = 6 * 3600


@router.get("/checklist")
def species_checklist(surveyor: Surveyor = Depends(current_surveyor),
                      db: Session = Depends(get_session)):
    """The reference checklist of lichen species recorded in the county."""
    key = f"lichen:checklist:{surveyor.id}"
    cached = cache.get(key)
    if cached is not None:
        return json.loads(cached)

    rows = db.execute(text(
        "SELECT code, latin_name, common_name, substrate, is_indicator "
        "FROM lichen_species WHERE active ORDER BY latin_name LIMIT 1000"
    )).mappings().all()
    payload = {"species": [dict(r) for r in rows]}
    cache.set(key, json.dumps(payload), ex=CHECKLIST_TTL)
    return payload


@router.get("/plots/{plot_id}")
def plot_summary(plot_id: int, surveyor: Surveyor = Depends(current_surveyor),
                 db: Session = Depends(get_session)):
    visits = db.execute(text(
        "SELECT v.id, v.visited_on, v.surveyor_id, count(o.id) AS records "
        "FROM plot_visits v LEFT JOIN observations o ON o.visit_id = v.id "
        "WHERE v.plot_id = :plot_id "
        "GROUP BY v.id ORDER BY v.visited_on DESC LIMIT 20"
    ), {"plot_id": plot_id}).mappings().all()
    return {"plot_id": plot_id, "visits": [dict(v) for v in visits]}


@router.get("/trends")
def species_trends(surveyor: Surveyor = Depends(current_surveyor),
                   db: Session = Depends(get_session)):
    """Front page chart: how often each species turns up, per region and year."""
    rows = db.execute(text("SELECT p.region, o.species_code, date_part('year', v.visited_on) AS yr, "
        "count(*) AS records, count(DISTINCT v.plot_id) AS plots, "
        "avg(o.cover_pct) AS mean_cover, "
        "percentile_cont(0.5) WITHIN GROUP (ORDER BY o.cover_pct) AS median_cover "
        "FROM observations o "
        "JOIN plot_visits v ON v.id = o.visit_id "
        "JOIN survey_plots p ON p.id = v.plot_id "
        "GROUP BY p.region, o.species_code, yr "
        "ORDER BY p.region, o.species_code, yr"
    )).mappings().all()

    series: dict[str, list] = {}
    for r in rows:
        series.setdefault(f"{r['region']}:{r['species_code']}", []).append({
            "year": int(r["yr"]),
            "records": r["records"],
            "plots": r["plots"],
            "median_cover": float(r["median_cover"] or 0),
        })
    return {"series": series}
