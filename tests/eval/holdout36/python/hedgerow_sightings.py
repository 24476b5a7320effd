"""Hedgerow survey sightings API.

Hosted for several county wildlife trusts; each trust's volunteers record
what they see along their survey hedges (species, count, hedge section).
Runs as `uvicorn app.main:app --workers 2` on the shared trusts' server.
"""
from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .auth import Volunteer, current_volunteer
from .db import get_db
from .models import HedgeSection, Sighting, Species

router = APIRouter(prefix="/sightings", tags=["sightings"])

_species_by_name: dict[str, dict] = {}


def resolve_species(db: Session, name: str) -> dict:
    """Map what volunteers type ("blackthorn", "Sloe", "prunus spinosa") to a species row."""
    key = name.strip().lower()
    if key in _species_by_name:
        return _species_by_name[key]
    row = db.execute(
        select(Species.id, Species.common_name, Species.latin_name)
        .where(Species.common_name.ilike(f"{key}%") | Species.latin_name.ilike(f"{key}%")
               | (func.lower(Species.local_name) == key))
        .order_by(func.length(Species.common_name))
        .limit(1)
    ).first()
    if row is None:
        raise HTTPException(status_code=422, detail=f"Unknown species '{name}'")
    _species_by_name[key] = dict(row._mapping)
    return _species_by_name[key]


class SightingIn(BaseModel):
    section_id: int
    species: str = Field(min_length=2, max_length=120)
    count: int = Field(ge=1, le=10_000)
    seen_at: datetime
    notes: str | None = Field(default=None, max_length=2000)


@router.post("", status_code=201)
def record_sighting(body: SightingIn, who: Volunteer = Depends(current_volunteer),
                    db: Session = Depends(get_db)):
    section = db.scalar(
        select(HedgeSection).where(HedgeSection.id == body.section_id, HedgeSection.trust_id == who.trust_id)
    )
    if section is None:
        raise HTTPException(status_code=404, detail="No such hedge section")
    species = resolve_species(db, body.species)
    sighting = Sighting(
        trust_id=who.trust_id, section_id=section.id, species_id=species["id"],
        count=body.count, seen_at=body.seen_at, notes=body.notes, recorded_by=who.id,
    )
    db.add(sighting)
    db.commit()
    return {"id": sighting.id, "species": species["common_name"]}


@router.get("")
def list_sightings(who: Volunteer = Depends(current_volunteer), db: Session = Depends(get_db),
                   before_id: int | None = None, limit: int = Query(50, le=200)):
    stmt = select(Sighting).where(Sighting.trust_id == who.trust_id)
    if before_id is not None:
        stmt = stmt.where(Sighting.id < before_id)
    rows = db.scalars(stmt.order_by(Sighting.id.desc()).limit(limit)).all()
    return [{"id": s.id, "section_id": s.section_id, "species_id": s.species_id,
             "count": s.count, "seen_at": s.seen_at} for s in rows]


@router.get("/{sighting_id}")
def get_sighting(sighting_id: int, who: Volunteer = Depends(current_volunteer),
                 db: Session = Depends(get_db)):
    s = db.scalar(select(Sighting).where(Sighting.id == sighting_id))
    if s is None:
        raise HTTPException(status_code=404, detail="Not found")
    return {"id": s.id, "section_id": s.section_id, "species_id": s.species_id,
            "count": s.count, "seen_at": s.seen_at, "notes": s.notes}
