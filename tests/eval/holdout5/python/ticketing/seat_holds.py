"""
Seat hold endpoints for the ticketing service.

Flow:
  1. the client picks a seat on the venue map
  2. POST /events/{event_id}/seats/hold places a 10 minute hold on it
  3. POST /events/{event_id}/seats/checkout turns the hold into a sold ticket

Production-ready: input validated with Pydantic, all SQL parameterised,
one transaction per request.
"""
from datetime import datetime, timedelta, timezone
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.auth import User, current_user
from app.db import get_session

router = APIRouter(prefix="/events/{event_id}/seats", tags=["seats"])

HOLD_MINUTES = 10


class HoldRequest(BaseModel):
    seat_id: int = Field(..., gt=0)


class HoldResponse(BaseModel):
    hold_id: UUID
    seat_id: int
    hold_until: datetime


class CheckoutRequest(BaseModel):
    hold_id: UUID
    payment_intent_id: str


@router.post("/hold", response_model=HoldResponse, status_code=status.HTTP_201_CREATED)
def hold_seat(
    event_id: int,
    body: HoldRequest,
    db: Session = Depends(get_session),
    user: User = Depends(current_user),
) -> HoldResponse:
    """Place a temporary hold on a seat so nobody else can buy it."""
    now = datetime.now(timezone.utc)

    # 1) Make sure the seat is still free (not sold and not held by someone else)
    existing = db.execute(
        text("SELECT id, status FROM seat_holds WHERE event_id = :event_id AND seat_id = :seat_id "
             "AND (status = 'sold' OR (status = 'held' AND hold_until > :now))"),
        {"event_id": event_id, "seat_id": body.seat_id, "now": now},
    ).first()

    if existing is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, "This seat is no longer available")

    # 2) Create the hold
    hold_id = uuid4()
    hold_until = now + timedelta(minutes=HOLD_MINUTES)
    db.execute(
        text("INSERT INTO seat_holds (id, event_id, seat_id, user_id, status, hold_until) "
             "VALUES (:id, :event_id, :seat_id, :user_id, 'held', :hold_until)"),
        {
            "id": hold_id,
            "event_id": event_id,
            "seat_id": body.seat_id,
            "user_id": user.id,
            "hold_until": hold_until,
        },
    )
    db.commit()
    return HoldResponse(hold_id=hold_id, seat_id=body.seat_id, hold_until=hold_until)


@router.post("/checkout")
def checkout(
    event_id: int,
    body: CheckoutRequest,
    db: Session = Depends(get_session),
    user: User = Depends(current_user),
):
    """Convert a live hold into a sold ticket (payment already captured by the client SDK)."""
    row = db.execute(
        text("UPDATE seat_holds SET status = 'sold', payment_intent_id = :pi "
             "WHERE id = :id AND event_id = :event_id AND user_id = :user_id "
             "AND status = 'held' AND hold_until > now() "
             "RETURNING seat_id"),
        {"pi": body.payment_intent_id, "id": body.hold_id, "event_id": event_id, "user_id": user.id},
    ).first()
    if row is None:
        db.rollback()
        raise HTTPException(status.HTTP_410_GONE, "Your hold has expired, please pick the seat again")
    db.commit()
    return {"seat_id": row.seat_id, "status": "sold"}


@router.delete("/hold/{hold_id}", status_code=status.HTTP_204_NO_CONTENT)
def release_hold(
    event_id: int,
    hold_id: UUID,
    db: Session = Depends(get_session),
    user: User = Depends(current_user),
):
    """User closed the seat picker: mark the hold as released."""
    db.execute(
        text("UPDATE seat_holds SET status = 'released' "
             "WHERE id = :id AND event_id = :event_id AND user_id = :user_id AND status = 'held'"),
        {"id": hold_id, "event_id": event_id, "user_id": user.id},
    )
    db.commit()
