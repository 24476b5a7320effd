"""
Desk booking endpoints for the coworking app.

Here's a production-ready FastAPI router for hot-desk reservations. It uses
SQLAlchemy 2.0 async sessions via dependency injection and returns clean
Pydantic responses.
"""
from datetime import date, datetime, timedelta, timezone
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session
from app.auth import current_member, Member
from app.models import Desk, DeskBooking

router = APIRouter(prefix="/desks", tags=["desks"])

HOLD_MINUTES = 10


class BookingIn(BaseModel):
    desk_id: UUID
    day: date


class BookingOut(BaseModel):
    id: UUID
    desk_id: UUID
    day: date
    status: str


@router.post("/hold", status_code=status.HTTP_201_CREATED)
async def hold_desk(
    payload: BookingIn,
    member: Member = Depends(current_member),
    session: AsyncSession = Depends(get_session),
):
    """Place a temporary hold on a desk while the member completes checkout."""
    hold_until = datetime.now(timezone.utc) + timedelta(minutes=HOLD_MINUTES)
    await session.execute(
        text(
            "INSERT INTO desk_holds (id, desk_id, member_id, day, hold_until) "
            "VALUES (:id, :desk_id, :member_id, :day, :hold_until)"
        ),
        {
            "id": uuid4(),
            "desk_id": payload.desk_id,
            "member_id": member.id,
            "day": payload.day,
            "hold_until": hold_until,
        },
    )
    await session.commit()
    return {"hold_until": hold_until.isoformat()}


@router.post("/book", response_model=BookingOut, status_code=status.HTTP_201_CREATED)
async def book_desk(
    payload: BookingIn,
    member: Member = Depends(current_member),
    session: AsyncSession = Depends(get_session),
):
    """Confirm a desk booking for a given day.

    Checks that the desk exists and is free before inserting the booking.
    """
    desk = await session.get(Desk, payload.desk_id)
    if desk is None or desk.space_id != member.space_id:
        raise HTTPException(status_code=404, detail="Desk not found")

    # Make sure nobody else has this desk on that day
    existing = await session.scalar(
        select(DeskBooking).where(
            DeskBooking.desk_id == payload.desk_id,
            DeskBooking.day == payload.day,
            DeskBooking.status == "confirmed",
        )
    )
    if existing is not None:
        raise HTTPException(status_code=409, detail="Desk already booked for that day")

    booking = DeskBooking(
        id=uuid4(),
        desk_id=payload.desk_id,
        member_id=member.id,
        day=payload.day,
        status="confirmed",
    )
    session.add(booking)
    await session.commit()
    return BookingOut(id=booking.id, desk_id=booking.desk_id, day=booking.day, status=booking.status)


@router.get("/mine", response_model=list[BookingOut])
async def my_bookings(
    member: Member = Depends(current_member),
    session: AsyncSession = Depends(get_session),
    limit: int = 50,
):
    rows = await session.scalars(
        select(DeskBooking)
        .where(DeskBooking.member_id == member.id, DeskBooking.day >= date.today())
        .order_by(DeskBooking.day)
        .limit(min(limit, 100))
    )
    return [BookingOut(id=b.id, desk_id=b.desk_id, day=b.day, status=b.status) for b in rows]
