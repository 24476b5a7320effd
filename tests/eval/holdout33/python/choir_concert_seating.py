"""Seating and retiring-collection service for the Linthwaite Community Choir
spring concert. Used by the box-office screens at the church hall door.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from choir.models import ConcertFund, Reservation, SeatAllocation, Section


@dataclass
class SectionAvailability:
    section_id: int
    name: str
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


class SeatingService:
    """Thin service layer over the concert seating tables."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def seating_plan(self, concert_id: int) -> list[SectionAvailability]:
        """Return the nave, side aisles and gallery with how many seats are left."""
        sections = self.session.scalars(
            select(Section)
            .where(Section.concert_id == concert_id)
            .order_by(Section.display_order)
        ).all()

        plan: list[SectionAvailability] = []
        for section in sections:
            taken = self.session.scalar(select(func.count()).select_from(SeatAllocation).where(SeatAllocation.section_id == section.id))
            plan.append(
                SectionAvailability(
                    section_id=section.id,
                    name=section.name,
                    capacity=section.capacity,
                    taken=taken or 0,
                )
            )
        return plan

    def record_collection(self, concert_id: int, amount_pence: int, volunteer_id: int) -> int:
        """Add a bucket count from the retiring collection to the concert fund.

        Volunteers count their buckets on tablets at the door and submit
        as soon as they finish, so several submissions arrive together.
        """
        if amount_pence <= 0:
            raise ValueError("collection amount must be positive")

        fund = self.session.scalars(select(ConcertFund).where(ConcertFund.concert_id == concert_id)).one()
        new_total = fund.total_pence + amount_pence
        fund.total_pence = new_total
        fund.last_counted_by = volunteer_id
        self.session.commit()
        return new_total

    def reserve_wheelchair_space(self, concert_id: int, member_id: int) -> Reservation:
        """Wheelchair spaces are reserved by the box office, one per request."""
        reservation = Reservation(
            concert_id=concert_id,
            member_id=member_id,
            kind="wheelchair",
        )
        self.session.add(reservation)
        self.session.commit()
        return reservation
