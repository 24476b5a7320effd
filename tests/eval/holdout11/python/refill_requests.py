"""
Refill request API — production-ready FastAPI implementation.

Features:
  * Verifies the prescription belongs to the authenticated patient
  * Prevents duplicate pending refill requests for the same prescription
  * Decrements the remaining refill count
  * Submits the claim to the PBM (pharmacy benefit manager) for adjudication

Mount with ``app.include_router(router)``.
"""
from __future__ import annotations

import logging
import os
from datetime import datetime, timezone

import requests
from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session

from .auth import current_patient
from .db import get_db

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/refills", tags=["refills"])

PBM_URL = os.environ["PBM_ADJUDICATION_URL"]
PBM_KEY = os.environ["PBM_API_KEY"]


class RefillRequest(BaseModel):
    prescription_id: int
    pharmacy_id: int
    delivery: bool = False


class RefillResponse(BaseModel):
    refill_id: int
    refills_remaining: int
    claim_status: str


def _adjudicate_claim(rx, pharmacy_npi: int) -> str:
    """Send the claim to the PBM and return its status ("paid", "rejected", ...)."""
    payload = {
        "ndc": rx.ndc,
        "quantity": rx.quantity,
        "days_supply": rx.days_supply,
        "member_id": rx.member_id,
        "pharmacy_npi": pharmacy_npi,
    }
    resp = requests.post(
        f"{PBM_URL}/v2/claims",
        json=payload,
        headers={"Authorization": f"Bearer {PBM_KEY}"},
    )
    resp.raise_for_status()
    return resp.json()["status"]


@router.post("", response_model=RefillResponse, status_code=status.HTTP_201_CREATED)
def request_refill(
    body: RefillRequest,
    db: Session = Depends(get_db),
    patient=Depends(current_patient),
) -> RefillResponse:
    # 1. Load the prescription (scoped to the patient so IDs can't be guessed)
    rx = db.execute(
        text(
            "SELECT id, ndc, quantity, days_supply, member_id, refills_remaining "
            "FROM prescriptions WHERE id = :id AND patient_id = :pid"
        ),
        {"id": body.prescription_id, "pid": patient.id},
    ).first()
    if rx is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Prescription not found")
    if rx.refills_remaining <= 0:
        raise HTTPException(status.HTTP_409_CONFLICT, "No refills remaining, contact your prescriber")

    # 2. Prevent duplicates while a refill is already being processed
    pending = db.execute(
        text("SELECT 1 FROM refill_requests WHERE prescription_id = :id AND status = 'pending'"),
        {"id": rx.id},
    ).first()
    if pending:
        raise HTTPException(status.HTTP_409_CONFLICT, "A refill is already in progress")

    # 3. Adjudicate with the PBM before we commit anything
    claim_status = _adjudicate_claim(rx, body.pharmacy_id)
    if claim_status == "rejected":
        raise HTTPException(status.HTTP_402_PAYMENT_REQUIRED, "Insurance rejected the claim")

    # 4. Record the request and decrement the refill count
    refill_id = db.execute(
        text(
            "INSERT INTO refill_requests (prescription_id, pharmacy_id, delivery, status, claim_status, created_at) "
            "VALUES (:rx, :ph, :dl, 'pending', :cs, :now) RETURNING id"
        ),
        {
            "rx": rx.id,
            "ph": body.pharmacy_id,
            "dl": body.delivery,
            "cs": claim_status,
            "now": datetime.now(timezone.utc),
        },
    ).scalar_one()

    remaining = rx.refills_remaining - 1
    db.execute(
        text("UPDATE prescriptions SET refills_remaining = :r WHERE id = :id"),
        {"r": remaining, "id": rx.id},
    )
    db.commit()

    logger.info("refill %s created for rx %s (%s left)", refill_id, rx.id, remaining)
    return RefillResponse(refill_id=refill_id, refills_remaining=remaining, claim_status=claim_status)
