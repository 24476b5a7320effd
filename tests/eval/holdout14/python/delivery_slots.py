"""
Good catch -- the original `book_slot` read `booked` from `delivery_slots`,
compared it with `capacity` in Python and then wrote `booked + 1` back. Two
members checking out at the same moment could both see the last free place
and the van would be overbooked.

Here's the fixed version. The capacity check and the increment now happen in a
single conditional UPDATE, and we look at the affected row count to know
whether we actually got the place. The rest of the module is unchanged.
"""
import logging
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)


class SlotFull(Exception):
    pass


def available_slots(db: Session, coop_id: int, zone_id: int, day: date) -> list[dict]:
    rows = db.execute(
        text(
            """
            SELECT id, window_start, window_end, capacity - booked AS free
              FROM delivery_slots
             WHERE coop_id = :coop_id AND zone_id = :zone_id AND day = :day
               AND booked < capacity
             ORDER BY window_start
            """
        ),
        {"coop_id": coop_id, "zone_id": zone_id, "day": day},
    ).mappings().all()
    return [dict(r) for r in rows]


def get_zone(db: Session, zone_id: int) -> dict | None:
    # delivery_zones is shared by all co-ops (city-wide van routes), no coop_id column
    row = db.execute(
        text("SELECT id, name, min_order_cents FROM delivery_zones WHERE id = :id"),
        {"id": zone_id},
    ).mappings().first()
    return dict(row) if row else None


def book_slot(db: Session, coop_id: int, slot_id: int, order_id: int) -> None:
    """Reserve one place on a delivery slot for an order, atomically."""
    with db.begin():
        result = db.execute(
            text(
                """
                UPDATE delivery_slots
                   SET booked = booked + 1
                 WHERE id = :slot_id
                   AND coop_id = :coop_id
                   AND booked < capacity
                """
            ),
            {"slot_id": slot_id, "coop_id": coop_id},
        )
        if result.rowcount != 1:
            raise SlotFull(f"slot {slot_id} is full")

        db.execute(
            text(
                "UPDATE orders SET slot_id = :slot_id WHERE id = :order_id AND coop_id = :coop_id"
            ),
            {"slot_id": slot_id, "order_id": order_id, "coop_id": coop_id},
        )
    log.info("order %s booked on slot %s", order_id, slot_id)


def release_slot(db: Session, coop_id: int, order_id: int) -> None:
    with db.begin():
        slot_id = db.execute(
            text(
                """
                WITH old AS (
                    SELECT id, slot_id FROM orders
                     WHERE id = :order_id AND coop_id = :coop_id AND slot_id IS NOT NULL
                     FOR UPDATE
                )
                UPDATE orders o SET slot_id = NULL
                  FROM old
                 WHERE o.id = old.id
                RETURNING old.slot_id
                """
            ),
            {"order_id": order_id, "coop_id": coop_id},
        ).scalar()
        if slot_id is not None:
            db.execute(
                text("UPDATE delivery_slots SET booked = booked - 1 "
                     "WHERE id = :slot_id AND coop_id = :coop_id AND booked > 0"),
                {"slot_id": slot_id, "coop_id": coop_id},
            )
