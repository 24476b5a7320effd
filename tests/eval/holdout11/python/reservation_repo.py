from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from celery import shared_task
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .db import SessionLocal
from .models import Guest, Reservation, Table, TableHold

log = logging.getLogger(__name__)


class SlotTaken(Exception):
    pass


class ReservationRepository:
    """Reservations are scoped to a restaurant; guests are platform-wide diner profiles
    (the `guests` table has no restaurant column)."""

    def __init__(self, session: Session, restaurant_id: int):
        self.s = session
        self.restaurant_id = restaurant_id

    def guest(self, guest_id: int) -> Guest | None:
        return self.s.get(Guest, guest_id)

    def confirm(self, table_id: int, slot_start: datetime, guest_id: int, party_size: int) -> Reservation:
        with self.s.begin():
            table = self.s.execute(
                select(Table)
                .where(Table.id == table_id, Table.restaurant_id == self.restaurant_id)
                .with_for_update()
            ).scalar_one()
            if party_size > table.seats:
                raise ValueError("party too large for table")
            res = Reservation(
                restaurant_id=self.restaurant_id,
                table_id=table.id,
                slot_start=slot_start,
                guest_id=guest_id,
                party_size=party_size,
                status="confirmed",
            )
            self.s.add(res)
            try:
                # uq_reservation_slot (table_id, slot_start) WHERE status IN ('confirmed','seated')
                self.s.flush()
            except IntegrityError as exc:
                log.info("slot %s/%s already booked", table_id, slot_start)
                raise SlotTaken(f"table {table_id} at {slot_start:%H:%M}") from exc
            self.s.execute(
                delete(TableHold).where(TableHold.table_id == table.id, TableHold.slot_start == slot_start)
            )
        return res

    def cancel(self, reservation_id: int) -> bool:
        with self.s.begin():
            result = self.s.execute(
                update(Reservation)
                .where(Reservation.id == reservation_id,
                       Reservation.restaurant_id == self.restaurant_id,
                       Reservation.status == "confirmed")
                .values(status="cancelled", cancelled_at=datetime.now(timezone.utc))
            )
        return result.rowcount == 1

    def upcoming(self, day: datetime, limit: int = 200, after_id: int = 0) -> list[Reservation]:
        return list(self.s.scalars(
            select(Reservation)
            .where(Reservation.restaurant_id == self.restaurant_id,
                   Reservation.slot_start >= day,
                   Reservation.slot_start < day + timedelta(days=1),
                   Reservation.id > after_id)
            .order_by(Reservation.id)
            .limit(limit)
        ))


@shared_task
def purge_expired_holds() -> int:
    """Celery beat, every 5 minutes: holds the guest never converted into a booking."""
    with SessionLocal() as s, s.begin():
        n = s.execute(delete(TableHold).where(TableHold.hold_until < datetime.now(timezone.utc))).rowcount
    log.info("purged %d expired table holds", n)
    return n
