"""Ripening batches in the cheese caves: turning, brushing and grading wheels.

Repository + service layer (SQLAlchemy 2.0). Each dairy cooperative member
(dairy_id) only ever sees its own batches.
"""
import logging
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .models import Batch, BatchEvent, CaveDailySummary

log = logging.getLogger(__name__)

MAX_PAGE = 100


class BatchNotFound(Exception):
    pass


class BatchRepository:
    def __init__(self, session: Session, dairy_id: int):
        self.session = session
        self.dairy_id = dairy_id

    def page(self, cave_id: int, after_id: int = 0, limit: int = 50) -> list[Batch]:
        stmt = (
            select(Batch)
            .where(Batch.dairy_id == self.dairy_id, Batch.cave_id == cave_id)
            .where(Batch.id > after_id, Batch.graded_at.is_(None))
            .order_by(Batch.id)
            .limit(min(limit, MAX_PAGE))
        )
        return list(self.session.scalars(stmt))

    def lock(self, batch_id: int) -> Batch:
        stmt = (
            select(Batch)
            .where(Batch.id == batch_id, Batch.dairy_id == self.dairy_id)
            .with_for_update()
        )
        batch = self.session.scalars(stmt).one_or_none()
        if batch is None:
            raise BatchNotFound(batch_id)
        return batch

    def cave_summary(self, cave_id: int, days: int = 30) -> list[CaveDailySummary]:
        # filled nightly by the summary job; one row per cave per day
        stmt = (
            select(CaveDailySummary)
            .where(CaveDailySummary.dairy_id == self.dairy_id,
                   CaveDailySummary.cave_id == cave_id)
            .order_by(CaveDailySummary.day.desc())
            .limit(min(days, 365))
        )
        return list(self.session.scalars(stmt))


class RipeningService:
    def __init__(self, session: Session, dairy_id: int, affineur_id: int):
        self.session = session
        self.repo = BatchRepository(session, dairy_id)
        self.affineur_id = affineur_id

    def record_turn(self, batch_id: int, wheels_turned: int, brine_wash: bool = False) -> Batch:
        """Two affineurs can work the same shelf; the row lock keeps the
        turn counter and the wheel count consistent."""
        try:
            with self.session.begin():
                batch = self.repo.lock(batch_id)
                if wheels_turned > batch.wheel_count:
                    raise ValueError("more wheels turned than are in the batch")
                batch.turn_count += 1
                batch.last_turned_at = datetime.now(timezone.utc)
                self.session.add(BatchEvent(
                    batch_id=batch.id,
                    dairy_id=batch.dairy_id,
                    kind="brine_wash" if brine_wash else "turn",
                    wheels=wheels_turned,
                    by_user_id=self.affineur_id,
                ))
            return batch
        except SQLAlchemyError:
            log.exception("failed to record turn for batch %s", batch_id)
            raise

    def grade(self, batch_id: int, grade: str, wheels_rejected: int) -> Batch:
        with self.session.begin():
            batch = self.repo.lock(batch_id)
            if batch.graded_at is not None:
                return batch
            batch.grade = grade
            batch.wheel_count -= wheels_rejected
            batch.graded_at = datetime.now(timezone.utc)
        return batch
