"""Shed repair requests API.

Hosted for several allotment associations (Riverside Lane, Hill Top,
Station Road...). Every plot holder belongs to exactly one association and
committee members triage the repair requests for their own site.
"""
from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .auth import CurrentUser, get_current_user, require_committee
from .db import get_session
from .models import RepairRequest, Shed

router = APIRouter(prefix="/repairs", tags=["repairs"])


class RepairOut(BaseModel):
    id: int
    shed_number: str
    problem: str
    status: str
    created_at: datetime

    model_config = {"from_attributes": True}


class StatusChange(BaseModel):
    status: str
    note: str | None = None


@router.get("/sheds")
async def list_sheds(
    user: CurrentUser = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, le=100),
):
    stmt = (
        select(Shed)
        .where(Shed.association_id == user.association_id)
        .order_by(Shed.number)
        .offset(offset)
        .limit(limit)
    )
    return (await session.scalars(stmt)).all()


@router.get("", response_model=list[RepairOut])
async def list_repair_requests(
    user: CurrentUser = Depends(require_committee),
    session: AsyncSession = Depends(get_session),
):
    """Committee triage board: every request raised at this site."""
    stmt = select(RepairRequest).where(RepairRequest.association_id == user.association_id).order_by(RepairRequest.created_at.desc())
    return (await session.scalars(stmt)).all()


@router.patch("/{repair_id}", response_model=RepairOut)
async def change_status(
    repair_id: int,
    change: StatusChange,
    user: CurrentUser = Depends(require_committee),
    session: AsyncSession = Depends(get_session),
):
    if change.status not in {"open", "scheduled", "done", "rejected"}:
        raise HTTPException(422, "unknown status")

    repair = await session.scalar(select(RepairRequest).where(RepairRequest.id == repair_id))
    if repair is None:
        raise HTTPException(404, "repair request not found")

    repair.status = change.status
    repair.committee_note = change.note
    repair.updated_by = user.id
    await session.commit()
    return repair


@router.post("", response_model=RepairOut, status_code=201)
async def raise_request(
    shed_id: int,
    problem: str,
    user: CurrentUser = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
):
    shed = await session.scalar(
        select(Shed).where(Shed.id == shed_id, Shed.association_id == user.association_id)
    )
    if shed is None:
        raise HTTPException(404, "shed not found")
    repair = RepairRequest(
        association_id=user.association_id,
        shed_id=shed.id,
        shed_number=shed.number,
        problem=problem[:2000],
        status="open",
        raised_by=user.id,
    )
    session.add(repair)
    await session.commit()
    return repair
