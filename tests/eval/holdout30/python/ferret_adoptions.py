"""Ferret rescue adoptions.

Applicants browse ferrets ready for rehoming and reserve one; the reservation puts the
ferret on hold while a volunteer arranges the home check.
"""
import logging
from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from .auth import Applicant, current_applicant
from .db import get_db

log = logging.getLogger(__name__)
router = APIRouter(prefix="/ferrets", tags=["adoptions"])


class FerretCard(BaseModel):
    id: int
    name: str
    sex: str
    born_on: date | None
    colour: str
    bonded_with: int | None  # ferrets are often rehomed in pairs


class ReserveIn(BaseModel):
    preferred_visit_date: date | None = None
    notes: str = ""


@router.get("", response_model=list[FerretCard])
async def available_ferrets(
    after_id: int = Query(0, ge=0),
    limit: int = Query(24, ge=1, le=60),
    db: AsyncSession = Depends(get_db),
):
    """Keyset-paged list of ferrets ready for rehoming."""
    result = await db.execute(
        text(
            "SELECT id, name, sex, born_on, colour, bonded_with FROM ferrets "
            "WHERE status = 'available' AND id > :after_id ORDER BY id LIMIT :limit"
        ),
        {"after_id": after_id, "limit": limit},
    )
    return [FerretCard(**row) for row in result.mappings()]


@router.post("/{ferret_id}/reserve", status_code=201)
async def reserve_ferret(
    ferret_id: int,
    body: ReserveIn,
    applicant: Applicant = Depends(current_applicant),
    db: AsyncSession = Depends(get_db),
):
    # Claim the ferret only if nobody else has: the status check and the write are one statement.
    claimed = await db.execute(
        text(
            "UPDATE ferrets SET status = 'reserved', reserved_by = :applicant_id, reserved_at = now() "
            "WHERE id = :ferret_id AND status = 'available'"
        ),
        {"applicant_id": applicant.id, "ferret_id": ferret_id},
    )
    if claimed.rowcount != 1:
        await db.rollback()
        raise HTTPException(status_code=409, detail="Sorry, this ferret has just been reserved.")

    await db.execute(
        text(
            "INSERT INTO home_checks (ferret_id, applicant_id, preferred_date, notes, requested_at) "
            "VALUES (:ferret_id, :applicant_id, :preferred, :notes, now())"
        ),
        {
            "ferret_id": ferret_id,
            "applicant_id": applicant.id,
            "preferred": body.preferred_visit_date,
            "notes": body.notes[:2000],
        },
    )
    await db.commit()
    log.info("ferret %s reserved by applicant %s", ferret_id, applicant.id)
    return {"ferret_id": ferret_id, "status": "reserved", "next_step": "home-check"}
