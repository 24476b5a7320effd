"""Timed-entry slots for the museum (FastAPI + SQLAlchemy 2.0, Postgres).

Deployed as 4 uvicorn workers on 2 pods; all coordination goes through Postgres.
"""
from datetime import datetime, timezone

from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from museum.auth import Visitor, current_visitor
from museum.models import Booking, TimeSlot
from museum.settings import DATABASE_URL

engine = create_engine(DATABASE_URL, pool_size=10, max_overflow=5, pool_pre_ping=True)
SessionLocal = sessionmaker(engine, expire_on_commit=False)

app = FastAPI()


def get_session():
    with SessionLocal() as session:
        yield session


class BookIn(BaseModel):
    slot_id: int
    qty: int = Field(ge=1, le=10)


@app.get("/museums/{museum_id}/slots")
def list_slots(museum_id: int, day: str, session: Session = Depends(get_session)):
    start = datetime.fromisoformat(day)
    slots = session.scalars(
        select(TimeSlot)
        .where(TimeSlot.museum_id == museum_id,
               TimeSlot.starts_at >= start,
               TimeSlot.starts_at < start.replace(hour=23, minute=59))
        .order_by(TimeSlot.starts_at)
        .limit(48)
    ).all()
    return [{"id": s.id, "starts_at": s.starts_at, "left": s.capacity - s.sold} for s in slots]


@app.post("/museums/{museum_id}/bookings", status_code=201)
def book(museum_id: int, body: BookIn, visitor: Visitor = Depends(current_visitor),
         session: Session = Depends(get_session)):
    with session.begin():
        res = session.execute(
            update(TimeSlot)
            .where(TimeSlot.id == body.slot_id,
                   TimeSlot.museum_id == museum_id,
                   TimeSlot.sold + body.qty <= TimeSlot.capacity)
            .values(sold=TimeSlot.sold + body.qty)
        )
        if res.rowcount == 0:
            raise HTTPException(409, "Not enough tickets left for that time")
        booking = Booking(slot_id=body.slot_id, museum_id=museum_id,
                          visitor_id=visitor.id, qty=body.qty, status="confirmed")
        session.add(booking)
    return {"booking_id": booking.id}


@app.post("/museums/{museum_id}/bookings/{booking_id}/cancel")
def cancel(museum_id: int, booking_id: int, visitor: Visitor = Depends(current_visitor),
           session: Session = Depends(get_session)):
    with session.begin():
        booking = session.scalars(
            select(Booking)
            .where(Booking.id == booking_id,
                   Booking.museum_id == museum_id,
                   Booking.visitor_id == visitor.id)
            .with_for_update()
        ).one_or_none()
        if booking is None:
            raise HTTPException(404)
        if booking.status == "cancelled":
            return {"status": "cancelled"}
        booking.status = "cancelled"
        booking.cancelled_at = datetime.now(timezone.utc)
        session.execute(
            update(TimeSlot)
            .where(TimeSlot.id == booking.slot_id, TimeSlot.museum_id == museum_id)
            .values(sold=TimeSlot.sold - booking.qty)
        )
    return {"status": "cancelled"}
