"""Production-ready FastAPI endpoints for the clinic portal: free slots,
booking and cancellation. SQLAlchemy 2.0 sessions; SMS confirmation via our provider."""
from datetime import datetime, timedelta

import requests
from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .db import get_session
from .models import Appointment, Patient, Practitioner
from .settings import settings

router = APIRouter(prefix="/appointments", tags=["appointments"])

SLOT_MINUTES = 20


class BookingRequest(BaseModel):
    practitioner_id: int
    patient_id: int
    starts_at: datetime


class BookingResponse(BaseModel):
    id: int
    practitioner_id: int
    starts_at: datetime
    status: str


@router.get("/slots/{practitioner_id}")
def free_slots(practitioner_id: int, day: datetime, db: Session = Depends(get_session)):
    """Return the free 20-minute slots for one practitioner on one day."""
    day_start = day.replace(hour=8, minute=0, second=0, microsecond=0)
    day_end = day_start.replace(hour=18)
    taken = db.execute(
        select(Appointment.starts_at).where(
            Appointment.practitioner_id == practitioner_id,
            Appointment.starts_at >= day_start,
            Appointment.starts_at < day_end,
            Appointment.status != "cancelled",
        )
    ).scalars().all()
    taken_set = set(taken)

    slots = []
    cursor = day_start
    while cursor < day_end:
        if cursor not in taken_set:
            slots.append(cursor)
        cursor += timedelta(minutes=SLOT_MINUTES)
    return {"practitioner_id": practitioner_id, "slots": slots}


@router.post("", response_model=BookingResponse, status_code=status.HTTP_201_CREATED)
def book_appointment(body: BookingRequest, db: Session = Depends(get_session)):
    """Book a slot if it is still free, then text the patient a confirmation."""
    practitioner = db.get(Practitioner, body.practitioner_id)
    if practitioner is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "practitioner not found")

    # Make sure nobody else holds this slot before we create the booking.
    existing = db.execute(
        select(Appointment).where(
            Appointment.practitioner_id == body.practitioner_id,
            Appointment.starts_at == body.starts_at,
            Appointment.status != "cancelled",
        )
    ).scalar_one_or_none()
    if existing is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, "slot already booked")

    appt = Appointment(
        practitioner_id=body.practitioner_id,
        patient_id=body.patient_id,
        starts_at=body.starts_at,
        status="booked",
    )
    db.add(appt)
    db.commit()
    db.refresh(appt)

    patient = db.get(Patient, body.patient_id)
    _send_sms(
        patient.phone,
        f"Your appointment with {practitioner.display_name} is confirmed "
        f"for {appt.starts_at:%d %b %H:%M}.",
    )
    return appt


@router.post("/{appointment_id}/cancel")
def cancel_appointment(appointment_id: int, patient_id: int, db: Session = Depends(get_session)):
    """Cancel a booking. Conditional UPDATE so a double click can't cancel twice."""
    result = db.execute(
        update(Appointment)
        .where(
            Appointment.id == appointment_id,
            Appointment.patient_id == patient_id,
            Appointment.status == "booked",
        )
        .values(status="cancelled", cancelled_at=datetime.utcnow())
    )
    db.commit()
    if result.rowcount == 0:
        raise HTTPException(status.HTTP_409_CONFLICT, "appointment not found or already cancelled")
    return {"id": appointment_id, "status": "cancelled"}


def _send_sms(phone: str, text: str) -> None:
    """Send an SMS through the provider's REST API."""
    resp = requests.post(
        f"{settings.sms_base_url}/v1/messages",
        json={"to": phone, "body": text, "sender": "CLINIC"},
        headers={"Authorization": f"Bearer {settings.sms_api_key}"},
    )
    resp.raise_for_status()