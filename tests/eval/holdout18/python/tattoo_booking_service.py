# studio/booking.py -- tattoo studio bookings (route + service + repository)
from __future__ import annotations

import os
from datetime import date, datetime, timedelta

import requests
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from studio.db import get_session
from studio.models import Artist, Booking

DEPOSIT_API = os.environ.get("DEPOSIT_API", "https://pay.example.com/v2")
DEPOSIT_KEY = os.environ.get("DEPOSIT_KEY", "")


# ---------------------------------------------------------------- repository
class BookingRepository:
    def __init__(self, session: Session):
        self.session = session

    def find_overlapping(self, artist_id: int, starts_at: datetime, ends_at: datetime) -> Booking | None:
        stmt = select(Booking).where(
            Booking.artist_id == artist_id,
            Booking.starts_at < ends_at,
            Booking.ends_at > starts_at,
            Booking.status != "cancelled",
        )
        return self.session.scalars(stmt).first()

    def day_bookings(self, artist_id: int, day: date) -> list[Booking]:
        start = datetime.combine(day, datetime.min.time())
        stmt = select(Booking).where(
            Booking.artist_id == artist_id,
            Booking.starts_at >= start,
            Booking.starts_at < start + timedelta(days=1),
        ).order_by(Booking.starts_at)
        return list(self.session.scalars(stmt))

    def add(self, booking: Booking) -> None:
        self.session.add(booking)


# ---------------------------------------------------------------- service
class DepositClient:
    def charge(self, customer_token: str, amount_cents: int, reference: str) -> str:
        r = requests.post(
            f"{DEPOSIT_API}/charges",
            json={"source": customer_token, "amount": amount_cents, "reference": reference},
            headers={"Authorization": f"Bearer {DEPOSIT_KEY}"},
        )
        r.raise_for_status()
        return r.json()["charge_id"]


_availability: dict[tuple[int, date], list[dict]] = {}


class BookingService:
    def __init__(self, session: Session, deposits: DepositClient | None = None):
        self.session = session
        self.repo = BookingRepository(session)
        self.deposits = deposits or DepositClient()

    def availability(self, artist_id: int, day: date) -> list[dict]:
        key = (artist_id, day)
        if key not in _availability:
            _availability[key] = [
                {"start": b.starts_at.isoformat(), "end": b.ends_at.isoformat()}
                for b in self.repo.day_bookings(artist_id, day)
            ]
        return _availability[key]

    def book(self, artist: Artist, customer_token: str, starts_at: datetime, hours: int) -> Booking:
        ends_at = starts_at + timedelta(hours=hours)
        clash = self.repo.find_overlapping(artist.id, starts_at, ends_at)
        if clash is not None:
            raise HTTPException(409, "Artist already booked for that time")

        charge_id = self.deposits.charge(customer_token, artist.deposit_cents, f"artist-{artist.id}")
        booking = Booking(artist_id=artist.id, starts_at=starts_at, ends_at=ends_at,
                          deposit_charge_id=charge_id, status="confirmed")
        self.repo.add(booking)
        self.session.commit()
        _availability.pop((artist.id, starts_at.date()), None)
        return booking


# ---------------------------------------------------------------- routes
router = APIRouter(prefix="/artists/{artist_id}")


class BookingIn(BaseModel):
    customer_token: str
    starts_at: datetime
    hours: int = 2


@router.get("/availability/{day}")
def get_availability(artist_id: int, day: date, session: Session = Depends(get_session)):
    return BookingService(session).availability(artist_id, day)


@router.post("/bookings", status_code=201)
def create_booking(artist_id: int, body: BookingIn, session: Session = Depends(get_session)):
    artist = session.get(Artist, artist_id)
    if artist is None:
        raise HTTPException(404)
    booking = BookingService(session).book(artist, body.customer_token, body.starts_at, body.hours)
    return {"id": booking.id, "deposit": booking.deposit_charge_id}
