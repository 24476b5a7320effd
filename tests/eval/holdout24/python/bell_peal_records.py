"""Peal records API for the diocesan guild of bell ringers.

Conductors submit peals from the tower app; the peal secretary verifies them.
Deployed as 3 replicas on the guild's k8s cluster behind the ingress.
"""
import time
from collections import defaultdict, deque
from datetime import datetime, timezone

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, conint
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .auth import Ringer, current_ringer, require_peal_secretary
from .db import get_session
from .models import Peal, PealRinger, Tower

router = APIRouter(prefix="/peals")

SUBMISSIONS_PER_DAY = 10
# ringer id -> timestamps of recent submissions
_recent_submissions: dict[int, deque] = defaultdict(deque)


class PealIn(BaseModel):
    tower_id: int
    rung_on: datetime
    method: str
    changes: conint(ge=5000)
    duration_minutes: conint(gt=0, le=360)
    band: list[int]  # ringer ids, treble first
    footnote: str | None = None


def _check_submission_quota(ringer_id: int) -> None:
    now = time.monotonic()
    window = _recent_submissions[ringer_id]
    while window and now - window[0] > 86400:
        window.popleft()
    if len(window) >= SUBMISSIONS_PER_DAY:
        raise HTTPException(status_code=429, detail="Daily submission limit reached")
    window.append(now)


@router.post("", status_code=201)
async def submit_peal(body: PealIn, me: Ringer = Depends(current_ringer), session: AsyncSession = Depends(get_session)):
    _check_submission_quota(me.id)
    peal = Peal(
        tower_id=body.tower_id,
        conductor_id=me.id,
        rung_on=body.rung_on,
        method=body.method,
        changes=body.changes,
        duration_minutes=body.duration_minutes,
        footnote=body.footnote,
    )
    session.add(peal)
    await session.flush()
    session.add_all(PealRinger(peal_id=peal.id, ringer_id=r, bell=i + 1) for i, r in enumerate(body.band))
    await session.commit()
    return {"id": peal.id}


@router.post("/{peal_id}/verify")
async def verify_peal(peal_id: int, secretary=Depends(require_peal_secretary), session: AsyncSession = Depends(get_session)):
    result = await session.execute(
        update(Peal)
        .where(Peal.id == peal_id, Peal.verified_at.is_(None))
        .values(verified_at=datetime.now(timezone.utc), verified_by=secretary.id)
        .returning(Peal.tower_id)
    )
    tower_id = result.scalar_one_or_none()
    if tower_id is None:
        raise HTTPException(status_code=409, detail="Peal not found or already verified")

    # Keep the tower's running total in step for the tower page.
    tower = await session.get(Tower, tower_id)
    tower.peal_count = tower.peal_count + 1
    tower.last_peal_at = datetime.now(timezone.utc)
    await session.commit()
    return {"id": peal_id, "tower_peal_count": tower.peal_count}


@router.get("/towers/{tower_id}")
async def tower_peals(tower_id: int, before: datetime | None = None, session: AsyncSession = Depends(get_session)):
    stmt = select(Peal).where(Peal.tower_id == tower_id, Peal.verified_at.is_not(None))
    if before:
        stmt = stmt.where(Peal.rung_on < before)
    rows = await session.scalars(stmt.order_by(Peal.rung_on.desc()).limit(50))
    return [{"id": p.id, "rung_on": p.rung_on, "method": p.method, "changes": p.changes} for p in rows]
