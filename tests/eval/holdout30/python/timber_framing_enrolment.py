"""Enrolment service for the timber framing courses (scribing, pegging, raising days).

Used by both the public booking site and the office's phone-booking screen, so two
people can try for the last place on a course at the same moment.
"""
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from .models import Course, Enrolment

log = logging.getLogger(__name__)


class CourseNotFound(Exception):
    pass


class CourseFull(Exception):
    pass


class AlreadyEnrolled(Exception):
    pass


@dataclass(frozen=True)
class EnrolmentReceipt:
    enrolment_id: int
    course_id: int
    places_left: int


class EnrolmentService:
    def __init__(self, session_factory: sessionmaker[Session]):
        self._sessions = session_factory

    def enrol(self, course_id: int, student_id: int, *, needs_tools: bool = False) -> EnrolmentReceipt:
        with self._sessions.begin() as session:
            # Row lock on the course: a second enrolment for the same course waits here
            # until this transaction commits, then sees the updated count.
            course = session.execute(
                select(Course).where(Course.id == course_id).with_for_update()
            ).scalar_one_or_none()
            if course is None:
                raise CourseNotFound(course_id)
            if course.places_taken >= course.capacity:
                raise CourseFull(course_id)

            enrolment = Enrolment(course_id=course_id, student_id=student_id, hire_tools=needs_tools)
            session.add(enrolment)
            course.places_taken += 1
            try:
                # uq_enrolment_course_student stops the same person enrolling twice
                session.flush()
            except IntegrityError as exc:
                log.info("student %s already enrolled on course %s", student_id, course_id)
                raise AlreadyEnrolled(course_id) from exc

            return EnrolmentReceipt(
                enrolment_id=enrolment.id,
                course_id=course_id,
                places_left=course.capacity - course.places_taken,
            )

    def roster(self, course_id: int, *, limit: int = 50, offset: int = 0) -> list[Enrolment]:
        with self._sessions() as session:
            return list(
                session.scalars(
                    select(Enrolment)
                    .where(Enrolment.course_id == course_id)
                    .order_by(Enrolment.created_at)
                    .limit(limit)
                    .offset(offset)
                )
            )
