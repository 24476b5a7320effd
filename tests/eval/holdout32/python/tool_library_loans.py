"""Loans for the hosted tool-library platform.

Several tool libraries (the Shed, Northside Tool Share, the allotment society's
store) share one database; every table carries library_id and each request is
scoped to the member's library by the auth layer.
"""
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from toolshare.errors import Conflict, NotFound
from toolshare.models import Loan, Member, Tool

DEFAULT_LOAN_DAYS = 7
MAX_PAGE = 100


class LoanService:
    def __init__(self, session: Session, library_id: int):
        self.session = session
        self.library_id = library_id

    def catalogue(self, category: str | None, page: int = 1, per_page: int = 30) -> list[Tool]:
        per_page = min(per_page, MAX_PAGE)
        stmt = select(Tool).where(Tool.library_id == self.library_id, Tool.retired.is_(False))
        if category:
            stmt = stmt.where(Tool.category == category)
        stmt = stmt.order_by(Tool.name).limit(per_page).offset((page - 1) * per_page)
        return list(self.session.scalars(stmt))

    def lend(self, tool_id: int, member_id: int, days: int = DEFAULT_LOAN_DAYS) -> Loan:
        with self.session.begin():
            # Row lock on the tool: a second checkout of the same drill waits here,
            # then sees on_loan=True and is refused.
            tool = self.session.scalars(
                select(Tool)
                .where(Tool.id == tool_id, Tool.library_id == self.library_id)
                .with_for_update()
            ).one_or_none()
            if tool is None:
                raise NotFound("tool")
            if tool.on_loan:
                raise Conflict(f"{tool.name} is already out")

            member = self.session.scalars(
                select(Member).where(Member.id == member_id, Member.library_id == self.library_id)
            ).one_or_none()
            if member is None or not member.induction_done:
                raise Conflict("member must complete the safety induction first")

            tool.on_loan = True
            loan = Loan(
                library_id=self.library_id,
                tool_id=tool.id,
                member_id=member.id,
                due_on=date.today() + timedelta(days=days),
            )
            self.session.add(loan)
        return loan

    def give_back(self, loan_id: int) -> None:
        with self.session.begin():
            loan = self.session.scalars(
                select(Loan)
                .where(Loan.id == loan_id, Loan.library_id == self.library_id)
                .with_for_update()
            ).one_or_none()
            if loan is None:
                raise NotFound("loan")
            if loan.returned_on is not None:
                return
            loan.returned_on = date.today()
            loan.tool.on_loan = False

    def overdue(self, limit: int = 50) -> list[tuple[Loan, str]]:
        stmt = (
            select(Loan, Member.display_name)
            .join(Member, Member.id == Loan.member_id)
            .where(
                Loan.library_id == self.library_id,
                Loan.returned_on.is_(None),
                Loan.due_on < func.current_date(),
            )
            .order_by(Loan.due_on)
            .limit(min(limit, MAX_PAGE))
        )
        return list(self.session.execute(stmt).all())
