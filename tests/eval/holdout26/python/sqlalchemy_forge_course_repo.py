"""Repository for blacksmith forge courses (SQLAlchemy 2.0).

One deployment serves several forges; every row carries forge_id and the
repository is constructed per request with the caller's forge.
"""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class Course(Base):
    __tablename__ = "courses"
    id: Mapped[int] = mapped_column(primary_key=True)
    forge_id: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date]
    places: Mapped[int]


class Enrollment(Base):
    __tablename__ = "enrollments"
    id: Mapped[int] = mapped_column(primary_key=True)
    forge_id: Mapped[int] = mapped_column(index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    student_name: Mapped[str] = mapped_column(String(120))
    student_email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


@dataclass
class CourseSummary:
    id: int
    title: str
    starts_on: date
    places: int
    places_left: int


class ForgeCourseRepository:
    def __init__(self, session: Session, forge_id: int):
        self.session = session
        self.forge_id = forge_id

    def upcoming(self, limit: int = 20) -> list[CourseSummary]:
        stmt = (
            select(Course)
            .where(Course.forge_id == self.forge_id, Course.starts_on >= date.today())
            .order_by(Course.starts_on)
            .limit(limit)
        )
        summaries = []
        for course in self.session.scalars(stmt):
            taken = self.session.scalar(
                select(func.count(Enrollment.id)).where(Enrollment.course_id == course.id)
            )
            summaries.append(
                CourseSummary(course.id, course.title, course.starts_on, course.places, course.places - taken)
            )
        return summaries

    def get(self, course_id: int) -> Course | None:
        stmt = select(Course).where(Course.id == course_id, Course.forge_id == self.forge_id)
        return self.session.scalars(stmt).first()

    def roster(self, course_id: int) -> list[Enrollment]:
        """Students on a course, oldest enrollment first (for the printed sign-in sheet)."""
        stmt = select(Enrollment).where(Enrollment.course_id == course_id).order_by(Enrollment.created_at)
        return list(self.session.scalars(stmt))

    def add_student(self, course: Course, name: str, email: str) -> Enrollment:
        enrollment = Enrollment(
            forge_id=self.forge_id, course_id=course.id, student_name=name, student_email=email
        )
        self.session.add(enrollment)
        self.session.flush()
        return enrollment
