"""Listings + showing slots for the agency CRM.

Every agency-owned table carries agency_id; `postal_areas` is shared reference data.
"""
from datetime import datetime, timedelta, timezone

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from .db import SessionLocal, get_db
from .deps import Agent, current_agent
from .models import Listing, PostalArea, ShowingHold

router = APIRouter(prefix="/listings")
HOLD_TTL = timedelta(minutes=15)


class PriceChange(BaseModel):
    price: int
    version: int


@router.get("")
def list_listings(
    agent: Agent = Depends(current_agent),
    db: Session = Depends(get_db),
    limit: int = Query(25, le=100),
    offset: int = Query(0, ge=0),
):
    stmt = (
        select(Listing)
        .where(Listing.agency_id == agent.agency_id)
        .options(selectinload(Listing.photos))
        .order_by(Listing.updated_at.desc())
        .limit(limit)
        .offset(offset)
    )
    return [l.to_dict() for l in db.scalars(stmt)]


@router.get("/postal/{code}")
def postal_area(code: str, db: Session = Depends(get_db)):
    area = db.get(PostalArea, code)
    if area is None:
        raise HTTPException(404)
    return {"code": area.code, "city": area.city, "median_price": area.median_price}


@router.patch("/{listing_id}/price")
def change_price(listing_id: int, body: PriceChange, agent: Agent = Depends(current_agent),
                 db: Session = Depends(get_db)):
    res = db.execute(
        update(Listing)
        .where(Listing.id == listing_id, Listing.agency_id == agent.agency_id,
               Listing.version == body.version)
        .values(price=body.price, version=Listing.version + 1)
    )
    if res.rowcount == 0:
        db.rollback()
        raise HTTPException(409, "listing changed by someone else, reload")
    db.commit()
    return {"ok": True, "version": body.version + 1}


@router.post("/{listing_id}/showings/{slot}/hold", status_code=201)
def hold_showing(listing_id: int, slot: datetime, agent: Agent = Depends(current_agent),
                 db: Session = Depends(get_db)):
    listing = db.scalar(select(Listing.id).where(Listing.id == listing_id,
                                                 Listing.agency_id == agent.agency_id))
    if listing is None:
        raise HTTPException(404)
    db.add(ShowingHold(agency_id=agent.agency_id, listing_id=listing_id, slot=slot,
                       agent_id=agent.id, expires_at=datetime.now(timezone.utc) + HOLD_TTL))
    try:
        db.commit()  # unique (listing_id, slot)
    except IntegrityError:
        db.rollback()
        raise HTTPException(409, "slot already held")
    return {"listing_id": listing_id, "slot": slot.isoformat()}


def purge_expired_holds() -> None:
    """Scheduled every minute by the APScheduler worker (worker/schedule.py)."""
    with SessionLocal() as db:
        db.execute(delete(ShowingHold).where(ShowingHold.expires_at < datetime.now(timezone.utc)))
        db.commit()
