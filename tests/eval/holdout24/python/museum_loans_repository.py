"""Repository for outgoing object loans (collections management service).

Curators place a short, advisory hold on an object while a borrowing
institution's paperwork is in progress; a loan can only be approved for an
object that is not already out on (or promised to) another loan for the same
dates.
"""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from collections_app.models import Loan, LoanStatus, MuseumObject, ProvisionalHold

HOLD_DURATION = timedelta(hours=72)
BLOCKING_STATUSES = (LoanStatus.APPROVED, LoanStatus.IN_TRANSIT, LoanStatus.ON_LOAN)


class ObjectUnavailable(Exception):
    pass


class LoanRepository:
    def __init__(self, session: Session):
        self.session = session

    def holds_for_object(self, object_id: int) -> list[ProvisionalHold]:
        """Current soft holds, shown on the object page so curators can talk to each other."""
        now = datetime.now(timezone.utc)
        return list(
            self.session.scalars(
                select(ProvisionalHold)
                .where(ProvisionalHold.object_id == object_id, ProvisionalHold.expires_at > now)
                .order_by(ProvisionalHold.created_at.desc())
                .limit(20)
            )
        )

    def place_hold(self, object_id: int, curator_id: int, borrower: str) -> ProvisionalHold:
        # Holds are advisory: several borrowers can be pencilled in at once.
        hold = ProvisionalHold(
            object_id=object_id,
            curator_id=curator_id,
            borrower=borrower,
            expires_at=datetime.now(timezone.utc) + HOLD_DURATION,
        )
        self.session.add(hold)
        self.session.commit()
        return hold

    def approve_loan(self, object_id: int, borrower: str, start: datetime, end: datetime, approved_by: int) -> Loan:
        obj = self.session.get(MuseumObject, object_id)
        if obj is None or obj.deaccessioned:
            raise ObjectUnavailable("object not in the collection")

        clash = self.session.scalar(
            select(Loan.id).where(
                Loan.object_id == object_id,
                Loan.status.in_(BLOCKING_STATUSES),
                Loan.start_date < end,
                Loan.end_date > start,
            )
        )
        if clash is not None:
            raise ObjectUnavailable(f"overlaps loan #{clash}")

        loan = Loan(
            object_id=object_id,
            borrower=borrower,
            start_date=start,
            end_date=end,
            status=LoanStatus.APPROVED,
            approved_by=approved_by,
        )
        self.session.add(loan)
        self.session.commit()
        return loan

    def loans_for_object(self, object_id: int, limit: int = 50) -> list[Loan]:
        return list(
            self.session.scalars(
                select(Loan)
                .where(Loan.object_id == object_id)
                .order_by(Loan.start_date.desc())
                .limit(limit)
            )
        )
