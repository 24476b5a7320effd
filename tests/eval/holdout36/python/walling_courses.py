"""Dry-stone walling course service (SQLAlchemy 2.0).

People sign up for weekend courses with the walling association. Sign-up is
password-less: we email a one-time link, then take a deposit to secure a place.
"""
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import DateTime, ForeignKey, Integer, String, delete, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class WallingCourse(Base):
    __tablename__ = "walling_courses"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    places_left: Mapped[int] = mapped_column(Integer)
    deposits_received_pence: Mapped[int] = mapped_column(Integer, default=0)
    deposit_count: Mapped[int] = mapped_column(Integer, default=0)


class SignupLink(Base):
    __tablename__ = "course_signup_links"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    course_id: Mapped[int] = mapped_column(ForeignKey("walling_courses.id"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Attendee(Base):
    __tablename__ = "course_attendees"
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("walling_courses.id"))
    email: Mapped[str] = mapped_column(String(254))


LINK_LIFETIME = timedelta(minutes=30)


class CourseFull(Exception):
    pass


def issue_signup_link(session: Session, course_id: int, email: str) -> str:
    token = secrets.token_urlsafe(32)
    session.add(SignupLink(token=token, email=email.lower(), course_id=course_id, expires_at=datetime.now(timezone.utc) + LINK_LIFETIME))
    session.commit()
    return token


def redeem_signup_link(session: Session, token: str) -> Attendee:
    now = datetime.now(timezone.utc)
    # Consume the link in the same statement that checks it, so it works once.
    link = session.execute(
        delete(SignupLink)
        .where(SignupLink.token == token, SignupLink.expires_at > now)
        .returning(SignupLink.course_id, SignupLink.email)
    ).first()
    if link is None:
        raise LookupError("Link expired or unknown")

    # Take the place atomically; the WHERE stops us going below zero.
    result = session.execute(
        update(WallingCourse)
        .where(WallingCourse.id == link.course_id, WallingCourse.places_left > 0)
        .values(places_left=WallingCourse.places_left - 1)
    )
    if result.rowcount != 1:
        session.rollback()
        raise CourseFull(link.course_id)

    attendee = Attendee(course_id=link.course_id, email=link.email)
    session.add(attendee)
    session.commit()
    return attendee


def record_deposit(session: Session, course_id: int, amount_pence: int) -> None:
    """Called from the card terminal sync once a deposit clears."""
    course = session.execute(select(WallingCourse).where(WallingCourse.id == course_id)).scalar_one()
    course.deposits_received_pence = course.deposits_received_pence + amount_pence
    course.deposit_count = course.deposit_count + 1
    session.commit()


def upcoming_courses(session: Session, limit: int = 20) -> list[WallingCourse]:
    stmt = (
        select(WallingCourse)
        .where(WallingCourse.starts_on > datetime.now(timezone.utc))
        .order_by(WallingCourse.starts_on)
        .limit(min(limit, 50))
    )
    return list(session.scalars(stmt))
