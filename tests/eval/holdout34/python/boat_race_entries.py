"""Model boat club - race entries API (FastAPI + SQLAlchemy 2.0).

Each club runs its own regattas on the park pond. Skippers enter a boat into
a heat; the race officer's screen lists entries and shows the wind.
"""
from datetime import datetime, timezone

import requests
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .deps import current_member, get_session
from .models import Entry, Heat, Regatta

router = APIRouter(prefix="/clubs/{club_id}")

WEATHER_URL = "https://api.open-meteo.com/v1/forecast"


class EntryIn(BaseModel):
    heat_id: int
    boat_name: str
    sail_number: str
    boat_class: str  # "IOM", "Marblehead", "Footy", ...


def _pond_wind(lat: float, lon: float) -> dict:
    resp = requests.get(
        WEATHER_URL,
        params={"latitude": lat, "longitude": lon, "current": "wind_speed_10m,wind_direction_10m"},
    )
    resp.raise_for_status()
    return resp.json()["current"]


@router.post("/entries", status_code=201)
def create_entry(
    club_id: int,
    body: EntryIn,
    member=Depends(current_member),
    session: Session = Depends(get_session),
):
    heat = session.scalar(
        select(Heat).join(Regatta).where(Heat.id == body.heat_id, Regatta.club_id == club_id)
    )
    if heat is None:
        raise HTTPException(404, "No such heat")

    entry = Entry(
        club_id=club_id,
        heat_id=heat.id,
        member_id=member.id,
        boat_name=body.boat_name,
        sail_number=body.sail_number,
        boat_class=body.boat_class,
        entered_at=datetime.now(timezone.utc),
    )
    session.add(entry)
    try:
        # (heat_id, sail_number) is unique, so a double tap gives a 409
        session.commit()
    except IntegrityError:
        session.rollback()
        raise HTTPException(409, "That sail number is already in this heat")
    return {"id": entry.id}


@router.get("/entries")
def list_entries(club_id: int, member=Depends(current_member), session: Session = Depends(get_session)):
    """Every entry the club has taken, for the results secretary's spreadsheet."""
    rows = session.execute(
        select(Entry).where(Entry.club_id == club_id).order_by(Entry.entered_at.desc())
    ).scalars().all()
    return [
        {
            "id": e.id,
            "heat_id": e.heat_id,
            "boat": e.boat_name,
            "sail": e.sail_number,
            "class": e.boat_class,
            "entered_at": e.entered_at.isoformat(),
        }
        for e in rows
    ]


@router.get("/regattas/{regatta_id}/officer")
def race_officer_view(club_id: int, regatta_id: int, session: Session = Depends(get_session)):
    regatta = session.scalar(
        select(Regatta).where(Regatta.id == regatta_id, Regatta.club_id == club_id)
    )
    if regatta is None:
        raise HTTPException(404)
    heats = session.execute(
        select(Heat).where(Heat.regatta_id == regatta.id).order_by(Heat.starts_at).limit(40)
    ).scalars().all()
    return {
        "regatta": regatta.name,
        "wind": _pond_wind(regatta.pond_lat, regatta.pond_lon),
        "heats": [{"id": h.id, "starts_at": h.starts_at.isoformat()} for h in heats],
    }
