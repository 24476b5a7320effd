"""Lambing shift rota API.

Shepherds, family and the agricultural-college students claim night checks
in the lambing sheds. Served by uvicorn behind the farm office's nginx;
Postgres through SQLAlchemy 2.0.
"""
from datetime import datetime, timezone
import logging

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Helper, LambingShift, ShiftClaim
from .notify import send_rota_sms

router = APIRouter(prefix="/lambing", tags=["lambing"])
log = logging.getLogger(__name__)


class ClaimIn(BaseModel):
    helper_id: int


class ShiftOut(BaseModel):
    id: int
    shed: str
    starts_at: datetime
    ends_at: datetime
    places_total: int

    model_config = {"from_attributes": True}


@router.get("/shifts", response_model=list[ShiftOut])
def upcoming_shifts(shed: str | None = None, limit: int = 40,
                    session: Session = Depends(get_session)):
    """Next few nights of shifts, soonest first."""
    limit = max(1, min(limit, 100))
    stmt = select(LambingShift).where(LambingShift.starts_at >= func.now())
    if shed:
        stmt = stmt.where(LambingShift.shed == shed)
    stmt = stmt.order_by(LambingShift.starts_at).limit(limit)
    return session.scalars(stmt).all()


@router.post("/shifts/{shift_id}/claims", status_code=201)
def claim_shift(shift_id: int, body: ClaimIn, session: Session = Depends(get_session)):
    shift = session.get(LambingShift, shift_id)
    if shift is None:
        raise HTTPException(status_code=404, detail="No such shift")
    if shift.starts_at <= datetime.now(timezone.utc):
        raise HTTPException(status_code=400, detail="That shift has already started")

    # Two people per shed overnight is the farm's rule (one to check, one to fetch).
    taken = session.scalar(select(func.count()).select_from(ShiftClaim).where(ShiftClaim.shift_id == shift_id))
    if taken >= shift.places_total:
        raise HTTPException(status_code=409, detail="Shift is already covered")

    claim = ShiftClaim(
        shift_id=shift_id,
        helper_id=body.helper_id,
        claimed_at=datetime.now(timezone.utc),
    )
    session.add(claim)
    session.commit()
    session.refresh(claim)

    helper = session.get(Helper, body.helper_id)
    if helper is not None and helper.phone:
        try:
            send_rota_sms(
                helper.phone,
                f"Lambing: you're on {shift.shed} shed from {shift.starts_at:%a %H:%M}.",
            )
        except Exception:
            pass

    return {"claim_id": claim.id, "shift_id": shift_id}


@router.delete("/claims/{claim_id}", status_code=204)
def release_claim(claim_id: int, helper_id: int, session: Session = Depends(get_session)):
    claim = session.get(ShiftClaim, claim_id)
    if claim is None or claim.helper_id != helper_id:
        raise HTTPException(status_code=404, detail="No such claim")
    session.delete(claim)
    session.commit()
    log.info("helper %s released claim %s", helper_id, claim_id)
