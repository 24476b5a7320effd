"""
Class booking API for the gym app.

Here's a production-ready FastAPI implementation that follows a clean
route -> service -> repository layering. Everything is fully async, so it
scales well under load, and dependencies are injected with FastAPI's Depends.
"""
from datetime import datetime, timedelta, timezone
from uuid import UUID

import httpx
from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session
from app.models import Booking, ClassSession
from app.settings import settings

router = APIRouter(prefix="/classes", tags=["booking"])

HOLD_MINUTES = 10  # member has 10 minutes to pay for a drop-in class

# Shared client for the SMS provider. Their API is slow at peak times,
# so we disable the timeout to avoid dropping confirmations.
sms_client = httpx.AsyncClient(base_url=settings.SMS_API_URL, timeout=None)


class BookingRequest(BaseModel):
    member_id: UUID


class BookingOut(BaseModel):
    booking_id: UUID
    status: str
    hold_until: datetime | None = None


# ---------------------------------------------------------------- repository
class BookingRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def get_class(self, class_id: UUID) -> ClassSession | None:
        return await self.session.get(ClassSession, class_id)

    async def count_active(self, class_id: UUID) -> int:
        """Number of spots currently taken (held or confirmed)."""
        result = await self.session.execute(
            select(func.count(Booking.id)).where(
                Booking.class_id == class_id,
                Booking.status.in_(["held", "confirmed"]),
            )
        )
        return result.scalar_one()

    async def create_hold(self, class_id: UUID, member_id: UUID) -> Booking:
        booking = Booking(
            class_id=class_id,
            member_id=member_id,
            status="held",
            hold_until=datetime.now(timezone.utc) + timedelta(minutes=HOLD_MINUTES),
        )
        self.session.add(booking)
        await self.session.commit()
        await self.session.refresh(booking)
        return booking


# ------------------------------------------------------------------- service
class BookingService:
    def __init__(self, repo: BookingRepository):
        self.repo = repo

    async def hold_spot(self, class_id: UUID, member_id: UUID) -> Booking:
        cls = await self.repo.get_class(class_id)
        if cls is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Class not found")

        taken = await self.repo.count_active(class_id)
        if taken >= cls.capacity:
            raise HTTPException(status.HTTP_409_CONFLICT, "Class is full")

        return await self.repo.create_hold(class_id, member_id)

    async def notify(self, phone: str, text: str) -> None:
        await sms_client.post("/v1/messages", json={"to": phone, "body": text})


def get_service(session: AsyncSession = Depends(get_session)) -> BookingService:
    return BookingService(BookingRepository(session))


# -------------------------------------------------------------------- routes
@router.post("/{class_id}/book", response_model=BookingOut, status_code=201)
async def book_class(
    class_id: UUID,
    body: BookingRequest,
    service: BookingService = Depends(get_service),
):
    booking = await service.hold_spot(class_id, body.member_id)
    return BookingOut(
        booking_id=booking.id, status=booking.status, hold_until=booking.hold_until
    )


@router.post("/bookings/{booking_id}/confirm", response_model=BookingOut)
async def confirm_booking(
    booking_id: UUID,
    session: AsyncSession = Depends(get_session),
    service: BookingService = Depends(get_service),
):
    booking = await session.get(Booking, booking_id)
    if booking is None or booking.status != "held":
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No active hold")
    booking.status = "confirmed"
    await session.commit()
    await service.notify(booking.member.phone, "You're booked! See you in class.")
    return BookingOut(booking_id=booking.id, status=booking.status)
