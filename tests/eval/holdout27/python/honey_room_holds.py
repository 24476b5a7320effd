"""Honey extraction room: short holds on slots while the beekeeper pays.

The co-op has one extraction room with two radial extractors; each slot
can take ``capacity`` beekeepers. A hold keeps a place for 15 minutes.
"""
from datetime import datetime, timedelta, timezone

from sqlalchemy import DateTime, ForeignKey, Integer, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

HOLD_MINUTES = 15


class Base(DeclarativeBase):
    pass


class RoomSlot(Base):
    __tablename__ = "room_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    capacity: Mapped[int] = mapped_column(Integer, default=2)


class SlotHold(Base):
    __tablename__ = "slot_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("room_slots.id"), index=True)
    beekeeper_id: Mapped[int] = mapped_column(Integer, index=True)
    supers: Mapped[int] = mapped_column(Integer)  # number of honey supers to extract
    status: Mapped[str] = mapped_column(String(16), default="held")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SlotFull(Exception):
    pass


def active_holds(session: Session, slot_id: int, now: datetime) -> int:
    return session.scalar(
        select(func.count()).select_from(SlotHold).where(
            SlotHold.slot_id == slot_id,
            (SlotHold.status == "paid") | (SlotHold.expires_at > now),
        )
    )


def hold_slot(session: Session, slot_id: int, beekeeper_id: int, supers: int) -> SlotHold:
    now = datetime.now(timezone.utc)
    slot = session.get(RoomSlot, slot_id)
    if slot is None:
        raise LookupError(slot_id)

    taken = active_holds(session, slot_id, now)
    if taken >= slot.capacity:
        raise SlotFull(f"slot {slot_id} is full")

    hold = SlotHold(slot_id=slot_id, beekeeper_id=beekeeper_id, supers=supers, expires_at=now + timedelta(minutes=HOLD_MINUTES))
    session.add(hold)
    session.commit()
    return hold


def confirm_hold(session: Session, hold_id: int) -> bool:
    """Called from the payment return page; expired holds cannot be confirmed."""
    now = datetime.now(timezone.utc)
    result = session.execute(
        SlotHold.__table__.update()
        .where(SlotHold.id == hold_id, SlotHold.status == "held", SlotHold.expires_at > now)
        .values(status="paid")
    )
    session.commit()
    return result.rowcount == 1
