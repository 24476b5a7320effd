"""Farms book places on a contract shearer's round (SQLAlchemy 2.0 service layer).

A round has a head-count capacity (one shearer manages ~120 alpacas a day).
Each farm books a number of animals; a farm can only hold one booking per
round.
"""
import logging
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shearing.models import RoundBooking, ShearingRound

log = logging.getLogger(__name__)


class RoundFull(Exception):
    pass


class AlreadyBooked(Exception):
    pass


@dataclass
class BookingResult:
    booking_id: int
    round_id: int
    heads: int


class RoundBookingService:
    def __init__(self, session: Session):
        self.session = session

    def book(self, round_id: int, farm_id: int, heads: int) -> BookingResult:
        if heads <= 0:
            raise ValueError("heads must be positive")

        # Capacity is reserved in one conditional UPDATE; no separate read.
        reserved = self.session.execute(
            update(ShearingRound)
            .where(
                ShearingRound.id == round_id,
                ShearingRound.cancelled.is_(False),
                ShearingRound.heads_booked + heads <= ShearingRound.heads_capacity,
            )
            .values(heads_booked=ShearingRound.heads_booked + heads)
            .execution_options(synchronize_session=False)
        )
        if reserved.rowcount != 1:
            self.session.rollback()
            raise RoundFull(f"round {round_id} cannot take {heads} more animals")

        booking = RoundBooking(round_id=round_id, farm_id=farm_id, heads=heads)
        self.session.add(booking)
        try:
            # uq_round_booking_farm (round_id, farm_id) rejects a second booking
            self.session.commit()
        except IntegrityError:
            self.session.rollback()
            log.info("farm %s already booked on round %s", farm_id, round_id)
            raise AlreadyBooked(f"farm {farm_id} already has a booking on round {round_id}")
        return BookingResult(booking.id, round_id, heads)

    def cancel(self, booking_id: int, farm_id: int) -> None:
        booking = self.session.execute(
            select(RoundBooking)
            .where(RoundBooking.id == booking_id, RoundBooking.farm_id == farm_id)
            .with_for_update()
        ).scalar_one_or_none()
        if booking is None:
            raise LookupError("no such booking")
        self.session.execute(
            update(ShearingRound)
            .where(ShearingRound.id == booking.round_id)
            .values(heads_booked=ShearingRound.heads_booked - booking.heads)
            .execution_options(synchronize_session=False)
        )
        self.session.delete(booking)
        self.session.commit()

    def farm_bookings(self, farm_id: int, limit: int = 20, offset: int = 0) -> list[RoundBooking]:
        stmt = (
            select(RoundBooking)
            .where(RoundBooking.farm_id == farm_id)
            .order_by(RoundBooking.created_at.desc())
            .limit(min(limit, 100))
            .offset(offset)
        )
        return list(self.session.scalars(stmt))
