"""
Appointment booking API for the clinic patient portal.

Here's a production-ready FastAPI router for booking dental appointments.
Flow:
  1. POST /appointments/holds  -> reserve a chair slot for 10 minutes while
     the patient fills in the intake form
  2. POST /appointments        -> turn the hold into a confirmed appointment
     and send an SMS confirmation through our gateway

All database access goes through the shared SQLAlchemy session dependency.
"""
from __future__ import annotations

import logging
import os
import uuid
from datetime import datetime, timedelta, timezone

import requests
from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from clinic.db import get_session
from clinic.models import Appointment, Patient

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/appointments", tags=["appointments"])

SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "https://api.smsrelay.example/v2/messages")
SMS_API_KEY = os.environ["SMS_API_KEY"]
HOLD_MINUTES = 10


class HoldRequest(BaseModel):
    dentist_id: int
    chair_id: int
    starts_at: datetime
    patient_id: int


class BookRequest(BaseModel):
    hold_id: str
    reason: str | None = Field(default=None, max_length=500)


def send_confirmation_sms(phone: str, body: str) -> None:
    """Send an SMS through the gateway. Raises on a non-2xx response."""
    resp = requests.post(
        SMS_GATEWAY_URL,
        json={"to": phone, "body": body, "sender": "BrightSmile"},
        headers={"Authorization": f"Bearer {SMS_API_KEY}"},
    )
    resp.raise_for_status()


@router.post("/holds", status_code=status.HTTP_201_CREATED)
def hold_slot(req: HoldRequest, db: Session = Depends(get_session)):
    """Temporarily reserve a slot while the patient completes the intake form."""
    hold_id = str(uuid.uuid4())
    hold_until = datetime.now(timezone.utc) + timedelta(minutes=HOLD_MINUTES)
    db.execute(
        text(
            "INSERT INTO slot_holds (id, dentist_id, chair_id, starts_at, patient_id, hold_until) "
            "VALUES (:id, :dentist_id, :chair_id, :starts_at, :patient_id, :hold_until)"
        ),
        {"id": hold_id, "hold_until": hold_until, **req.model_dump()},
    )
    db.commit()
    return {"hold_id": hold_id, "hold_until": hold_until.isoformat()}


@router.post("", status_code=status.HTTP_201_CREATED)
def book_appointment(req: BookRequest, db: Session = Depends(get_session)):
    """Confirm a held slot. Returns 409 if the chair was booked in the meantime."""
    hold = db.execute(
        text("SELECT * FROM slot_holds WHERE id = :id AND hold_until > now()"),
        {"id": req.hold_id},
    ).mappings().first()
    if hold is None:
        raise HTTPException(status.HTTP_410_GONE, "Your hold has expired, please pick a new time")

    # Make sure nobody else booked this chair at this time
    clash = db.scalar(
        select(Appointment.id).where(
            Appointment.chair_id == hold["chair_id"],
            Appointment.starts_at == hold["starts_at"],
            Appointment.status != "cancelled",
        )
    )
    if clash is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, "That time was just taken")

    appt = Appointment(
        dentist_id=hold["dentist_id"],
        chair_id=hold["chair_id"],
        patient_id=hold["patient_id"],
        starts_at=hold["starts_at"],
        reason=req.reason,
        status="confirmed",
    )
    db.add(appt)
    db.commit()
    db.refresh(appt)

    patient = db.get(Patient, hold["patient_id"])
    if patient and patient.phone:
        when = appt.starts_at.strftime("%a %d %b at %H:%M")
        send_confirmation_sms(patient.phone, f"Your appointment is confirmed for {when}.")

    logger.info("appointment %s booked for patient %s", appt.id, appt.patient_id)
    return {"id": appt.id, "starts_at": appt.starts_at.isoformat(), "status": appt.status}
