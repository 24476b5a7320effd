"""Dive-trip bookings for the shop's boat: routes -> service -> repository."""
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth import Diver, current_diver, require_staff
from app.db import get_session
from app.models import Booking, Trip

router = APIRouter(prefix="/trips", tags=["trips"])


# ---------------------------------------------------------------- repository
class TripRepository:
    def __init__(self, db: Session):
        self.db = db

    def get_trip(self, trip_id: int) -> Trip | None:
        return self.db.get(Trip, trip_id)

    def count_bookings(self, trip_id: int) -> int:
        return self.db.scalar(
            select(func.count())
            .select_from(Booking)
            .where(Booking.trip_id == trip_id, Booking.status != "cancelled")
        )

    def add_booking(self, trip_id: int, diver_id: int, rental_gear: bool) -> Booking:
        booking = Booking(trip_id=trip_id, diver_id=diver_id, rental_gear=rental_gear, status="confirmed")
        self.db.add(booking)
        self.db.flush()
        return booking

    def upcoming(self, site_id: int, after_id: int, limit: int) -> list[Trip]:
        return self.db.scalars(
            select(Trip)
            .where(Trip.site_id == site_id, Trip.departs_on >= date.today(), Trip.id > after_id)
            .order_by(Trip.id)
            .limit(limit)
        ).all()

    def bookings_for_site(self, site_id: int) -> list[Booking]:
        return self.db.scalars(
            select(Booking).join(Trip).where(Trip.site_id == site_id).order_by(Booking.created_at.desc())
        ).all()


# ---------------------------------------------------------------- service
class BookingService:
    def __init__(self, repo: TripRepository):
        self.repo = repo

    def _ensure_space(self, trip: Trip) -> None:
        taken = self.repo.count_bookings(trip.id)
        if taken >= trip.max_divers:
            raise HTTPException(409, "This trip is full")

    def book(self, trip_id: int, diver: Diver, rental_gear: bool) -> Booking:
        trip = self.repo.get_trip(trip_id)
        if trip is None:
            raise HTTPException(404, "No such trip")
        if diver.cert_level < trip.min_cert_level:
            raise HTTPException(403, "Your certification is below what this site requires")
        self._ensure_space(trip)
        booking = self.repo.add_booking(trip.id, diver.id, rental_gear)
        self.repo.db.commit()
        return booking


def get_service(db: Annotated[Session, Depends(get_session)]) -> BookingService:
    return BookingService(TripRepository(db))


# ---------------------------------------------------------------- routes
class BookingIn(BaseModel):
    rental_gear: bool = False


class BookingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    trip_id: int
    diver_id: int
    rental_gear: bool
    status: str
    created_at: datetime


@router.post("/{trip_id}/bookings", status_code=201, response_model=BookingOut)
def create_booking(trip_id: int, body: BookingIn,
                   diver: Diver = Depends(current_diver),
                   svc: BookingService = Depends(get_service)):
    return svc.book(trip_id, diver, body.rental_gear)


@router.get("/sites/{site_id}/upcoming")
def upcoming_trips(site_id: int, after_id: int = 0, limit: int = Query(20, le=100),
                   svc: BookingService = Depends(get_service)):
    trips = svc.repo.upcoming(site_id, after_id, limit)
    return {"trips": [{"id": t.id, "departs_on": t.departs_on, "boat": t.boat_name} for t in trips],
            "next_after_id": trips[-1].id if trips else None}


@router.get("/sites/{site_id}/bookings", response_model=list[BookingOut])
def site_bookings(site_id: int, _staff=Depends(require_staff),
                  svc: BookingService = Depends(get_service)):
    # front desk uses this to print the manifest / look people up
    return svc.repo.bookings_for_site(site_id)
