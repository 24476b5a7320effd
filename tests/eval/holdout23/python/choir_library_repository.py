"""Sheet-music library for choirs (SQLAlchemy 2.0).

Each choir on the platform has its own catalogue; every query is scoped by
choir_id. Copies are lent to singers for a term and returned at the end.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .models import Loan, Score, VoicePart


class NoCopiesLeft(Exception):
    pass


@dataclass
class ScoreView:
    id: int
    title: str
    composer: str
    voicing: str
    copies_available: int
    parts: list[str]


class ChoirLibrary:
    def __init__(self, session: Session, choir_id: int):
        self.session = session
        self.choir_id = choir_id

    def browse(self, search: str | None = None, after_id: int = 0, page_size: int = 30) -> list[ScoreView]:
        """Keyset-paginated catalogue page, with voice parts loaded in one query."""
        page_size = min(page_size, 100)
        stmt = select(Score).where(Score.choir_id == self.choir_id, Score.id > after_id)
        if search:
            stmt = stmt.where(Score.title.ilike(f"%{search}%") | Score.composer.ilike(f"%{search}%"))
        scores = list(self.session.scalars(stmt.order_by(Score.id).limit(page_size)))
        if not scores:
            return []

        parts_by_score: dict[int, list[str]] = {s.id: [] for s in scores}
        part_rows = self.session.execute(
            select(VoicePart.score_id, VoicePart.name)
            .where(VoicePart.score_id.in_(parts_by_score.keys()))
            .order_by(VoicePart.score_id, VoicePart.sort_order)
        )
        for score_id, name in part_rows:
            parts_by_score[score_id].append(name)

        return [
            ScoreView(s.id, s.title, s.composer, s.voicing, s.copies_available, parts_by_score[s.id])
            for s in scores
        ]

    def lend_copy(self, score_id: int, singer_id: int, due_back: date) -> Loan:
        """Take one copy off the shelf; the WHERE clause makes the decrement race-free."""
        result = self.session.execute(
            update(Score)
            .where(
                Score.id == score_id,
                Score.choir_id == self.choir_id,
                Score.copies_available > 0,
            )
            .values(copies_available=Score.copies_available - 1)
        )
        if result.rowcount != 1:
            self.session.rollback()
            raise NoCopiesLeft(score_id)

        loan = Loan(choir_id=self.choir_id, score_id=score_id, singer_id=singer_id, due_back=due_back)
        self.session.add(loan)
        self.session.commit()
        return loan

    def return_copy(self, loan_id: int) -> bool:
        closed = self.session.execute(
            update(Loan)
            .where(Loan.id == loan_id, Loan.choir_id == self.choir_id, Loan.returned_on.is_(None))
            .values(returned_on=date.today())
            .returning(Loan.score_id)
        ).scalar_one_or_none()
        if closed is None:
            self.session.rollback()
            return False
        self.session.execute(
            update(Score)
            .where(Score.id == closed, Score.choir_id == self.choir_id)
            .values(copies_available=Score.copies_available + 1)
        )
        self.session.commit()
        return True
