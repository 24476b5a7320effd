"""Instrument loan repository for the brass band library service.

One database serves every band on the platform; each band only sees its own
instruments and players (band_id on every table).
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from .models import Instrument, Loan, Player


class LoanRepository:
    def __init__(self, session: Session, band_id: int):
        self.session = session
        self.band_id = band_id

    # -- reads -------------------------------------------------------------

    def instruments(self, kind: str | None = None, page: int = 1, per_page: int = 50) -> list[Instrument]:
        stmt = select(Instrument).where(Instrument.band_id == self.band_id)
        if kind:
            stmt = stmt.where(Instrument.kind == kind)  # cornet, tenor horn, euphonium...
        stmt = stmt.order_by(Instrument.kind, Instrument.serial).limit(per_page).offset((page - 1) * per_page)
        return list(self.session.scalars(stmt))

    def overdue_loans(self, today: date | None = None) -> list[Loan]:
        today = today or date.today()
        stmt = (
            select(Loan)
            .join(Player, Loan.player_id == Player.id)
            .where(Loan.due_back < today, Loan.returned_at.is_(None))
            .order_by(Loan.due_back)
            .limit(200)
        )
        return list(self.session.scalars(stmt))

    def loans_for_player(self, player_id: int) -> list[Loan]:
        stmt = (
            select(Loan)
            .where(Loan.band_id == self.band_id, Loan.player_id == player_id)
            .order_by(Loan.lent_at.desc())
            .limit(100)
        )
        return list(self.session.scalars(stmt))

    # -- writes ------------------------------------------------------------

    def return_instrument(self, loan_id: int) -> int:
        """Mark a loan returned; uses a conditional UPDATE so a double click is harmless."""
        result = self.session.execute(
            update(Loan)
            .where(Loan.id == loan_id, Loan.band_id == self.band_id, Loan.returned_at.is_(None))
            .values(returned_at=datetime.now(timezone.utc))
        )
        self.session.commit()
        return result.rowcount

    def record_service(self, instrument_id: int, cost_pence: int, note: str) -> Instrument:
        """Called from the repairer's form after a valve job / re-lacquer."""
        inst = self.session.scalars(
            select(Instrument).where(Instrument.id == instrument_id, Instrument.band_id == self.band_id)
        ).one()
        inst.service_count = inst.service_count + 1
        inst.lifetime_service_pence = inst.lifetime_service_pence + cost_pence
        inst.last_service_note = note[:500]
        inst.last_serviced_at = datetime.now(timezone.utc)
        self.session.commit()
        return inst

    def loan_counts_by_kind(self) -> dict[str, int]:
        stmt = (
            select(Instrument.kind, func.count(Loan.id))
            .join(Loan, Loan.instrument_id == Instrument.id)
            .where(Instrument.band_id == self.band_id, Loan.returned_at.is_(None))
            .group_by(Instrument.kind)
        )
        return {kind: n for kind, n in self.session.execute(stmt)}
