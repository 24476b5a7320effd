# app/routers/press_bookings.py
# Press-time bookings for letterpress studios on the shared booking platform.
# Every studio is a tenant; members book time on a press (Vandercook, Adana, Heidelberg platen).
from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.deps import current_member, current_studio, get_db
from app.models import Press, PressBooking, Studio

router = APIRouter(prefix="/bookings", tags=["bookings"])


class BookingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    press_id: int
    member_id: int
    starts_at: datetime
    ends_at: datetime
    job_notes: str | None = None


class BookingPatch(BaseModel):
    job_notes: str | None = None
    paper_stock: str | None = None
    ink_colours: list[str] | None = None


@router.get("", response_model=list[BookingOut])
async def list_bookings(
    studio: Studio = Depends(current_studio),
    db: AsyncSession = Depends(get_db),
):
    """Booking history for the studio's admin screen."""
    result = await db.scalars(
        select(PressBooking).where(PressBooking.studio_id == studio.id).order_by(PressBooking.starts_at.desc())
    )
    return result.all()


@router.get("/{booking_id}", response_model=BookingOut)
async def get_booking(
    booking_id: int,
    studio: Studio = Depends(current_studio),
    db: AsyncSession = Depends(get_db),
):
    booking = await db.scalar(
        select(PressBooking).where(
            PressBooking.id == booking_id,
            PressBooking.studio_id == studio.id,
        )
    )
    if booking is None:
        raise HTTPException(status_code=404, detail="Booking not found")
    return booking


@router.patch("/{booking_id}", response_model=BookingOut)
async def update_booking(
    booking_id: int,
    body: BookingPatch,
    studio: Studio = Depends(current_studio),
    member=Depends(current_member),
    db: AsyncSession = Depends(get_db),
):
    booking = await db.get(PressBooking, booking_id)
    if booking is None:
        raise HTTPException(status_code=404, detail="Booking not found")
    if booking.member_id != member.id and not member.is_studio_admin:
        raise HTTPException(status_code=403, detail="Not your booking")

    for field, value in body.model_dump(exclude_unset=True).items():
        setattr(booking, field, value)
    await db.commit()
    await db.refresh(booking)
    return booking


@router.get("/presses/{press_id}/next", response_model=list[BookingOut])
async def next_on_press(
    press_id: int,
    studio: Studio = Depends(current_studio),
    db: AsyncSession = Depends(get_db),
):
    press = await db.scalar(
        select(Press).where(Press.id == press_id, Press.studio_id == studio.id)
    )
    if press is None:
        raise HTTPException(status_code=404, detail="Press not found")
    result = await db.scalars(
        select(PressBooking)
        .where(
            PressBooking.studio_id == studio.id,
            PressBooking.press_id == press.id,
            PressBooking.starts_at >= datetime.utcnow(),
        )
        .order_by(PressBooking.starts_at)
        .limit(10)
    )
    return result.all()
