"""
Walk booking endpoints for the Pawtrail marketplace.

Here's a production-ready FastAPI router for booking a walker's time slot.
It validates input with Pydantic, uses SQLAlchemy sessions via dependency
injection, and notifies the walker through the notification service so they
get a push on their phone right away.
"""
import logging
from datetime import datetime, timedelta
from uuid import UUID, uuid4

import requests
from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import current_owner
from app.db import get_session
from app.models import Booking, Dog, Walker
from app.settings import settings

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/walks", tags=["walks"])

NOTIFY_URL = f"{settings.notify_base_url}/v1/push"


class BookingIn(BaseModel):
    walker_id: UUID
    dog_id: UUID
    starts_at: datetime
    duration_minutes: int = Field(30, ge=15, le=120)


class BookingOut(BaseModel):
    id: UUID
    walker_id: UUID
    dog_id: UUID
    starts_at: datetime
    ends_at: datetime
    status: str


@router.post("", response_model=BookingOut, status_code=status.HTTP_201_CREATED)
def book_walk(
    payload: BookingIn,
    db: Session = Depends(get_session),
    owner=Depends(current_owner),
):
    """Book a walk if the walker is free for the requested window."""
    walker = db.get(Walker, payload.walker_id)
    if walker is None or not walker.active:
        raise HTTPException(status_code=404, detail="Walker not found")

    dog = db.get(Dog, payload.dog_id)
    if dog is None or dog.owner_id != owner.id:
        raise HTTPException(status_code=404, detail="Dog not found")

    ends_at = payload.starts_at + timedelta(minutes=payload.duration_minutes)

    # Make sure the walker doesn't already have an overlapping walk.
    clash = db.scalars(
        select(Booking).where(
            Booking.walker_id == walker.id,
            Booking.status != "cancelled",
            Booking.starts_at < ends_at,
            Booking.ends_at > payload.starts_at,
        )
    ).first()
    if clash is not None:
        raise HTTPException(status_code=409, detail="Walker is already booked for that time")

    booking = Booking(
        id=uuid4(),
        walker_id=walker.id,
        dog_id=dog.id,
        owner_id=owner.id,
        starts_at=payload.starts_at,
        ends_at=ends_at,
        status="confirmed",
    )
    db.add(booking)
    db.commit()
    db.refresh(booking)

    _notify_walker(walker, booking, dog)
    return booking


@router.get("/mine", response_model=list[BookingOut])
def my_walks(
    db: Session = Depends(get_session),
    owner=Depends(current_owner),
    limit: int = Query(20, le=100),
    before: datetime | None = None,
):
    """Upcoming and past walks for the signed-in owner, newest first."""
    stmt = select(Booking).where(Booking.owner_id == owner.id)
    if before is not None:
        stmt = stmt.where(Booking.starts_at < before)
    stmt = stmt.order_by(Booking.starts_at.desc()).limit(limit)
    return db.scalars(stmt).all()


def _notify_walker(walker: Walker, booking: Booking, dog: Dog) -> None:
    """Best-effort push notification; a failure here should not fail the booking."""
    try:
        resp = requests.post(
            NOTIFY_URL,
            json={
                "user_id": str(walker.user_id),
                "title": "New walk booked",
                "body": f"{dog.name} on {booking.starts_at:%a %d %b at %H:%M}",
            },
            headers={"Authorization": f"Bearer {settings.notify_token}"},
        )
        resp.raise_for_status()
    except requests.RequestException:
        logger.warning("push notification failed for booking %s", booking.id, exc_info=True)
