"""Season lane bookings for the Tidewater Lido.

Early-morning lane sessions have a fixed number of places per lane
(slow / medium / fast). Season-ticket holders book a place up to a week
ahead. FastAPI + SQLAlchemy 2.0, Postgres.
"""
from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .auth import SeasonHolder, current_holder
from .db import get_session
from .models import LaneBooking, LaneSession

router = APIRouter(prefix="/lanes", tags=["lanes"])

# lane_bookings has UNIQUE (lane_session_id, holder_id)
TAKE_PLACE = text(
    """
    UPDATE lane_sessions
       SET places_left = places_left - 1
     WHERE id = :session_id
       AND places_left > 0
       AND starts_at > now()
    """
)


class BookingOut(BaseModel):
    booking_id: int
    lane_session_id: int
    lane: str
    starts_at: datetime


@router.post("/sessions/{session_id}/bookings", response_model=BookingOut, status_code=201)
def book_lane(
    session_id: int,
    holder: SeasonHolder = Depends(current_holder),
    db: Session = Depends(get_session),
):
    try:
        with db.begin():
            taken = db.execute(TAKE_PLACE, {"session_id": session_id}).rowcount
            if taken != 1:
                raise HTTPException(status_code=409, detail="no places left in that lane")
            booking = LaneBooking(lane_session_id=session_id, holder_id=holder.id)
            db.add(booking)
            db.flush()
    except IntegrityError:
        # unique (lane_session_id, holder_id): the place decrement is rolled back too
        raise HTTPException(status_code=409, detail="you already have this session booked")

    lane_session = db.get(LaneSession, session_id)
    return BookingOut(
        booking_id=booking.id,
        lane_session_id=session_id,
        lane=lane_session.lane,
        starts_at=lane_session.starts_at,
    )


@router.get("/me/bookings", response_model=list[BookingOut])
def my_bookings(
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0),
    holder: SeasonHolder = Depends(current_holder),
    db: Session = Depends(get_session),
):
    rows = db.execute(
        select(LaneBooking.id, LaneSession.id, LaneSession.lane, LaneSession.starts_at)
        .join(LaneSession, LaneSession.id == LaneBooking.lane_session_id)
        .where(LaneBooking.holder_id == holder.id)
        .order_by(LaneSession.starts_at.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        BookingOut(booking_id=b_id, lane_session_id=s_id, lane=lane, starts_at=starts_at)
        for b_id, s_id, lane, starts_at in rows
    ]
