"""Passage booking API for the Hatherley Flight lock-keepers.

Boaters reserve a passage window through a lock. Each window has a fixed
number of chamber slots (a wide lock takes two narrowboats side by side),
and the keeper on duty ticks boats off the passage log as they go through.
"""
from datetime import datetime, timezone

import requests
from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Lock, PassageLog, PassageWindow

router = APIRouter(prefix="/locks", tags=["passages"])

GAUGES_URL = "https://gauges.canal-trust.example/api/v2/stations"


class PassageRequest(BaseModel):
    boat_name: str
    boat_licence: str
    window_id: int
    direction: str  # "up" or "down"


class PassageOut(BaseModel):
    id: int
    window_id: int
    boat_name: str
    direction: str
    logged_at: datetime


def pound_is_navigable(station_id: str) -> bool:
    """Ask the trust's gauge service whether the pound above the lock has enough water."""
    resp = requests.get(f"{GAUGES_URL}/{station_id}/readings/latest")
    resp.raise_for_status()
    reading = resp.json()
    return reading["level_mm"] >= reading["min_navigable_mm"]


@router.post("/{lock_id}/passages", response_model=PassageOut, status_code=201)
def book_passage(lock_id: int, body: PassageRequest, db: Session = Depends(get_session)):
    lock = db.get(Lock, lock_id)
    if lock is None:
        raise HTTPException(status_code=404, detail="unknown lock")

    window = db.get(PassageWindow, body.window_id)
    if window is None or window.lock_id != lock_id:
        raise HTTPException(status_code=404, detail="unknown passage window")
    if body.direction not in ("up", "down"):
        raise HTTPException(status_code=422, detail="direction must be up or down")

    if not pound_is_navigable(lock.gauge_station_id):
        raise HTTPException(status_code=409, detail="pound too low, try a later window")

    # How many boats already hold a slot in this window?
    booked = db.scalar(
        select(func.count(PassageLog.id)).where(PassageLog.window_id == window.id)
    )
    if booked >= window.chamber_slots:
        raise HTTPException(status_code=409, detail="window is full")

    entry = PassageLog(
        window_id=window.id,
        boat_name=body.boat_name.strip(),
        boat_licence=body.boat_licence.upper(),
        direction=body.direction,
        logged_at=datetime.now(timezone.utc),
    )
    db.add(entry)
    db.commit()
    db.refresh(entry)
    return PassageOut(
        id=entry.id,
        window_id=entry.window_id,
        boat_name=entry.boat_name,
        direction=entry.direction,
        logged_at=entry.logged_at,
    )


@router.get("/{lock_id}/passages", response_model=list[PassageOut])
def list_passages(
    lock_id: int,
    limit: int = Query(50, ge=1, le=200),
    before_id: int | None = None,
    db: Session = Depends(get_session),
):
    stmt = (
        select(PassageLog)
        .join(PassageWindow, PassageWindow.id == PassageLog.window_id)
        .where(PassageWindow.lock_id == lock_id)
        .order_by(PassageLog.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        stmt = stmt.where(PassageLog.id < before_id)
    rows = db.scalars(stmt).all()
    return [
        PassageOut(
            id=r.id,
            window_id=r.window_id,
            boat_name=r.boat_name,
            direction=r.direction,
            logged_at=r.logged_at,
        )
        for r in rows
    ]
