"""Desk hold / reservation endpoints for the coworking app.

Layout: router -> ReservationService -> ReservationRepo (SQLAlchemy 2.0).
A member first places a 10-minute hold on a desk for a day, then confirms it
after paying for the day pass.
"""
from datetime import date, datetime, timedelta, timezone

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import Member, current_member
from app.db import get_session
from app.models import DeskHold, Reservation

router = APIRouter(prefix="/desks", tags=["desks"])

HOLD_MINUTES = 10


class HoldIn(BaseModel):
    desk_id: int
    day: date


class ReservationRepo:
    def __init__(self, session: Session):
        self.session = session

    def desk_taken(self, space_id: int, desk_id: int, day: date) -> bool:
        now = datetime.now(timezone.utc)
        booked = self.session.scalar(
            select(Reservation.id).where(
                Reservation.space_id == space_id,
                Reservation.desk_id == desk_id,
                Reservation.day == day,
            )
        )
        held = self.session.scalar(
            select(DeskHold.id).where(
                DeskHold.space_id == space_id,
                DeskHold.desk_id == desk_id,
                DeskHold.day == day,
                DeskHold.expires_at > now,
                DeskHold.converted_at.is_(None),
            )
        )
        return booked is not None or held is not None

    def create_hold(self, space_id: int, desk_id: int, day: date, member_id: int) -> DeskHold:
        hold = DeskHold(
            space_id=space_id,
            desk_id=desk_id,
            day=day,
            member_id=member_id,
            expires_at=datetime.now(timezone.utc) + timedelta(minutes=HOLD_MINUTES),
        )
        self.session.add(hold)
        self.session.flush()
        return hold

    def get_hold(self, space_id: int, hold_id: int) -> DeskHold | None:
        return self.session.scalar(
            select(DeskHold).where(DeskHold.id == hold_id, DeskHold.space_id == space_id)
        )


class ReservationService:
    def __init__(self, session: Session = Depends(get_session)):
        self.session = session
        self.repo = ReservationRepo(session)

    def hold_desk(self, member: Member, desk_id: int, day: date) -> DeskHold:
        if self.repo.desk_taken(member.space_id, desk_id, day):
            raise HTTPException(status.HTTP_409_CONFLICT, "Desk is not available that day")
        hold = self.repo.create_hold(member.space_id, desk_id, day, member.id)
        self.session.commit()
        return hold

    def confirm(self, member: Member, hold_id: int) -> Reservation:
        hold = self.repo.get_hold(member.space_id, hold_id)
        if hold is None or hold.member_id != member.id:
            raise HTTPException(status.HTTP_404_NOT_FOUND)
        if hold.expires_at <= datetime.now(timezone.utc):
            raise HTTPException(status.HTTP_410_GONE, "Hold expired, please start again")
        # reservations has UNIQUE (space_id, desk_id, day) from the 0007 migration
        res = Reservation(space_id=hold.space_id, desk_id=hold.desk_id,
                          day=hold.day, member_id=member.id)
        hold.converted_at = datetime.now(timezone.utc)
        self.session.add(res)
        self.session.commit()
        return res


@router.post("/holds", status_code=201)
def create_hold(body: HoldIn, member: Member = Depends(current_member),
                svc: ReservationService = Depends()):
    hold = svc.hold_desk(member, body.desk_id, body.day)
    return {"hold_id": hold.id, "expires_at": hold.expires_at.isoformat()}


@router.post("/holds/{hold_id}/confirm", status_code=201)
def confirm_hold(hold_id: int, member: Member = Depends(current_member),
                 svc: ReservationService = Depends()):
    res = svc.confirm(member, hold_id)
    return {"reservation_id": res.id, "desk_id": res.desk_id, "day": res.day.isoformat()}
