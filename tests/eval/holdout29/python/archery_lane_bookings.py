"""Lane bookings for the club's indoor and field ranges (SQLAlchemy 2.0)."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import DateTime, ForeignKey, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class LaneBooking(Base):
    __tablename__ = "lane_bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    lane_id: Mapped[int] = mapped_column(ForeignKey("lanes.id"), index=True)
    archer_id: Mapped[int] = mapped_column(ForeignKey("archers.id"))
    slot_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default="confirmed")


class LaneHold(Base):
    """Short hold while the archer pays the range fee on the card reader."""
    __tablename__ = "lane_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    lane_id: Mapped[int] = mapped_column(ForeignKey("lanes.id"))
    archer_id: Mapped[int] = mapped_column(ForeignKey("archers.id"))
    slot_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


HOLD_TTL = timedelta(minutes=10)
SLOT_LENGTH = timedelta(minutes=90)


class LaneTaken(Exception):
    pass


def hold_lane(session: Session, lane_id: int, archer_id: int, slot_start: datetime) -> LaneHold:
    now = datetime.now(timezone.utc)
    active_hold = session.scalars(
        select(LaneHold)
        .where(LaneHold.lane_id == lane_id, LaneHold.slot_start == slot_start)
        .where(LaneHold.expires_at > now)
        .limit(1)
    ).first()
    if active_hold and active_hold.archer_id != archer_id:
        raise LaneTaken("someone is paying for this lane right now")

    hold = LaneHold(lane_id=lane_id, archer_id=archer_id, slot_start=slot_start, expires_at=now + HOLD_TTL)
    session.add(hold)
    session.commit()
    return hold


def confirm_booking(session: Session, lane_id: int, archer_id: int, slot_start: datetime) -> LaneBooking:
    """Called by the card-reader callback once the range fee is paid."""
    existing = session.scalars(
        select(LaneBooking).where(
            LaneBooking.lane_id == lane_id,
            LaneBooking.slot_start == slot_start,
            LaneBooking.status != "cancelled",
        )
    ).first()
    if existing is not None:
        raise LaneTaken(f"lane {lane_id} is already booked at {slot_start:%H:%M}")

    booking = LaneBooking(lane_id=lane_id, archer_id=archer_id, slot_start=slot_start)
    session.add(booking)
    session.commit()
    return booking


def lanes_free_at(session: Session, range_id: int, slot_start: datetime) -> list[int]:
    from .models import Lane  # avoid import cycle with the admin module

    booked = select(LaneBooking.lane_id).where(
        LaneBooking.slot_start == slot_start, LaneBooking.status != "cancelled"
    )
    rows = session.scalars(
        select(Lane.id)
        .where(Lane.range_id == range_id, Lane.id.not_in(booked))
        .order_by(Lane.number)
        .limit(50)
    )
    return list(rows)
