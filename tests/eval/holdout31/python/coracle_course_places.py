"""Enrolment service for the coracle-building weekend courses.

Each course has eight places (one coracle frame per person, plus the ash laths
cut the week before). SQLAlchemy 2.0, PostgreSQL.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine, text

log = logging.getLogger(__name__)


class CourseFull(Exception):
    pass


class AlreadyEnrolled(Exception):
    pass


@dataclass(frozen=True)
class Enrolment:
    id: int
    course_id: int
    email: str


class EnrolmentService:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def enrol(self, course_id: int, email: str, name: str, wants_paddle_kit: bool) -> Enrolment:
        email = email.strip().lower()
        with self._engine.begin() as conn:
            row = conn.execute(
                text(
                    "INSERT INTO enrolments (course_id, email, full_name, paddle_kit) "
                    "VALUES (:cid, :email, :name, :kit) "
                    "ON CONFLICT (course_id, email) DO NOTHING RETURNING id"
                ),
                {"cid": course_id, "email": email, "name": name, "kit": wants_paddle_kit},
            ).first()
            if row is None:
                raise AlreadyEnrolled(email)

            taken = conn.execute(
                text(
                    "UPDATE courses SET places_left = places_left - 1 "
                    "WHERE id = :cid AND places_left > 0 AND status = 'open'"
                ),
                {"cid": course_id},
            )
            if taken.rowcount != 1:
                # raising inside begin() rolls back the enrolment insert too
                raise CourseFull(course_id)

        log.info("enrolled %s on course %s", email, course_id)
        return Enrolment(id=row.id, course_id=course_id, email=email)

    def withdraw(self, course_id: int, email: str) -> bool:
        with self._engine.begin() as conn:
            deleted = conn.execute(
                text(
                    "DELETE FROM enrolments WHERE course_id = :cid AND email = :email RETURNING id"
                ),
                {"cid": course_id, "email": email.strip().lower()},
            ).first()
            if deleted is None:
                return False
            conn.execute(
                text("UPDATE courses SET places_left = places_left + 1 WHERE id = :cid"),
                {"cid": course_id},
            )
        return True

    def add_to_waitlist(self, course_id: int, email: str) -> bool:
        """Returns False if they were already waiting, which is what they asked for anyway."""
        with self._engine.begin() as conn:
            row = conn.execute(
                text(
                    "INSERT INTO waitlist (course_id, email) VALUES (:cid, :email) "
                    "ON CONFLICT (course_id, email) DO NOTHING RETURNING id"
                ),
                {"cid": course_id, "email": email.strip().lower()},
            ).first()
        return row is not None
