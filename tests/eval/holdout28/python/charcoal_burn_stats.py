"""Woodland charcoal burn logs – FastAPI service for the coppice cooperative.

Burners log each kiln burn (species, moisture, hours to cooling, yield) from
the field. The public site shows a yield summary per wood species that the
cooperative uses when quoting for restaurants and forges.
"""
import json
import logging
import os
from datetime import date, datetime

import redis
from fastapi import Depends, FastAPI, HTTPException, Query
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Burn, Burner

log = logging.getLogger("charcoal")

r = redis.Redis.from_url(
    os.environ["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2, decode_responses=True
)
SUMMARY_KEY = "charcoal:yield-summary:v2"
SUMMARY_TTL = 900

app = FastAPI(title="charcoal-burns")


class BurnIn(BaseModel):
    burner_id: int
    species: str = Field(max_length=40)
    wood_kg: float = Field(gt=0)
    moisture_pct: float = Field(ge=0, le=60)
    hours_burning: float = Field(gt=0)
    charcoal_kg: float = Field(ge=0)
    burned_on: date


def _compute_yield_summary(db: Session) -> list[dict]:
    # Covers every burn since the paper logbooks were digitised (~1.2M rows).
    rows = db.execute(
        select(
            Burn.species,
            func.count(Burn.id),
            func.sum(Burn.wood_kg),
            func.sum(Burn.charcoal_kg),
            func.percentile_cont(0.5).within_group(Burn.charcoal_kg / Burn.wood_kg),
            func.avg(Burn.hours_burning),
            func.corr(Burn.moisture_pct, Burn.charcoal_kg / Burn.wood_kg),
        ).group_by(Burn.species)
    ).all()
    return [
        {
            "species": species,
            "burns": n,
            "wood_kg": float(wood),
            "charcoal_kg": float(char),
            "median_yield": round(float(median), 3),
            "avg_hours": round(float(hours), 1),
            "moisture_corr": None if corr is None else round(float(corr), 2),
        }
        for species, n, wood, char, median, hours, corr in rows
    ]


@app.get("/yield-summary")
def yield_summary(db: Session = Depends(get_session)):
    cached = r.get(SUMMARY_KEY)
    if cached is not None:
        return json.loads(cached)
    summary = {"generated_at": datetime.utcnow().isoformat(), "species": _compute_yield_summary(db)}
    r.set(SUMMARY_KEY, json.dumps(summary), ex=SUMMARY_TTL)
    return summary


@app.post("/burns", status_code=201)
def log_burn(burn: BurnIn, db: Session = Depends(get_session)):
    burner = db.get(Burner, burn.burner_id)
    if burner is None or not burner.active:
        raise HTTPException(404, "unknown burner")
    row = Burn(**burn.model_dump())
    db.add(row)
    db.commit()
    return {"id": row.id}


@app.get("/burners/{burner_id}/burns")
def burner_history(
    burner_id: int,
    before: date | None = None,
    limit: int = Query(25, ge=1, le=100),
    db: Session = Depends(get_session),
):
    stmt = select(Burn).where(Burn.burner_id == burner_id)
    if before is not None:
        stmt = stmt.where(Burn.burned_on < before)
    burns = db.scalars(stmt.order_by(Burn.burned_on.desc()).limit(limit)).all()
    return [
        {"id": b.id, "species": b.species, "burned_on": b.burned_on.isoformat(),
         "yield": round(b.charcoal_kg / b.wood_kg, 3)}
        for b in burns
    ]
