from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from .auth import Member, current_member
from .db import get_db
from .models import Exhibitor, Pitch, Rally

router = APIRouter(prefix="/rallies", tags=["pitches"])


class AssignPitch(BaseModel):
    exhibitor_id: int


class PitchOut(BaseModel):
    id: int
    rally_id: int
    row_letter: str
    number: int
    exhibitor_id: int | None
    fee_pence: int
    assigned_at: datetime | None

    model_config = {"from_attributes": True}


@router.get("/{rally_id}/pitches", response_model=list[PitchOut])
def list_pitches(
    rally_id: int,
    limit: int = Query(100, le=500),
    offset: int = Query(0, ge=0),
    member: Member = Depends(current_member),
    db: Session = Depends(get_db),
):
    stmt = (
        select(Pitch)
        .where(Pitch.rally_id == rally_id, Pitch.club_id == member.club_id)
        .order_by(Pitch.row_letter, Pitch.number)
        .limit(limit)
        .offset(offset)
    )
    return db.scalars(stmt).all()


@router.get("/pitches/{pitch_id}", response_model=PitchOut)
def get_pitch(pitch_id: int, member: Member = Depends(current_member), db: Session = Depends(get_db)):
    pitch = db.scalars(select(Pitch).where(Pitch.id == pitch_id)).one_or_none()
    if pitch is None:
        raise HTTPException(status_code=404, detail="pitch not found")
    return pitch


@router.post("/{rally_id}/pitches/{pitch_id}/assign", response_model=PitchOut)
def assign_pitch(
    rally_id: int,
    pitch_id: int,
    body: AssignPitch,
    member: Member = Depends(current_member),
    db: Session = Depends(get_db),
):
    pitch = db.scalars(
        select(Pitch)
        .where(Pitch.id == pitch_id, Pitch.rally_id == rally_id, Pitch.club_id == member.club_id)
        .with_for_update()
    ).one_or_none()
    if pitch is None:
        raise HTTPException(status_code=404, detail="pitch not found")
    if pitch.exhibitor_id is not None:
        raise HTTPException(status_code=409, detail="pitch already assigned")

    exhibitor = db.scalars(
        select(Exhibitor).where(Exhibitor.id == body.exhibitor_id, Exhibitor.club_id == member.club_id)
    ).one_or_none()
    if exhibitor is None:
        raise HTTPException(status_code=404, detail="exhibitor not found")

    pitch.exhibitor_id = exhibitor.id
    pitch.assigned_at = func.now()

    # Keep the rally header figures in step for the organisers' summary card.
    totals = db.execute(select(Rally.exhibitor_count, Rally.fees_collected_pence).where(Rally.id == rally_id, Rally.club_id == member.club_id)).one()
    db.execute(
        update(Rally)
        .where(Rally.id == rally_id)
        .values(
            exhibitor_count=totals.exhibitor_count + 1,
            fees_collected_pence=totals.fees_collected_pence + pitch.fee_pence,
        )
    )
    db.commit()
    db.refresh(pitch)
    return pitch
