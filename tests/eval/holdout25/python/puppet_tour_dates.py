"""Touring calendar API for the puppet theatre company.

Venues and box-office partners pull the public calendar; the company's own
planners use the export for the season brochure.
"""
from datetime import date
from typing import Optional

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_db
from .models import TourDate, Venue, Production

router = APIRouter(prefix="/tour")


class TourDateOut(BaseModel):
    id: int
    production: str
    venue: str
    town: str
    performance_date: date
    matinee: bool
    accessible_seating: bool


def _to_out(td: TourDate, venue: Venue, production_title: str) -> TourDateOut:
    return TourDateOut(
        id=td.id,
        production=production_title,
        venue=venue.name,
        town=venue.town,
        performance_date=td.performance_date,
        matinee=td.matinee,
        accessible_seating=venue.has_accessible_seating,
    )


@router.get("/upcoming", response_model=list[TourDateOut])
def upcoming(company_id: int, limit: int = Query(20, le=100),
             db: Session = Depends(get_db)):
    stmt = (
        select(TourDate, Venue, Production.title)
        .join(Venue, Venue.id == TourDate.venue_id)
        .join(Production, Production.id == TourDate.production_id)
        .where(TourDate.company_id == company_id,
               TourDate.performance_date >= date.today())
        .order_by(TourDate.performance_date)
        .limit(limit)
    )
    return [_to_out(td, v, title) for td, v, title in db.execute(stmt)]


@router.get("/season-export", response_model=list[TourDateOut])
def season_export(company_id: int, production_id: Optional[int] = None,
                  db: Session = Depends(get_db)):
    """Everything the company has ever toured, for the brochure archive."""
    stmt = select(TourDate).where(TourDate.company_id == company_id)
    if production_id is not None:
        stmt = stmt.where(TourDate.production_id == production_id)
    tour_dates = db.scalars(stmt.order_by(TourDate.performance_date)).all()

    titles = dict(
        db.execute(
            select(Production.id, Production.title)
            .where(Production.company_id == company_id)
        ).all()
    )

    out = []
    for td in tour_dates:
        venue = db.get(Venue, td.venue_id)
        out.append(_to_out(td, venue, titles.get(td.production_id, "?")))
    return out


@router.get("/venues/{venue_id}/next")
def next_at_venue(venue_id: int, company_id: int, db: Session = Depends(get_db)):
    td = db.scalars(
        select(TourDate)
        .where(TourDate.company_id == company_id,
               TourDate.venue_id == venue_id,
               TourDate.performance_date >= date.today())
        .order_by(TourDate.performance_date)
        .limit(1)
    ).first()
    return {"next": td.performance_date.isoformat() if td else None}
