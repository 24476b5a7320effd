"""School lunch credits: service used by the till integration and the parent portal.

Tills call `charge_meal` when a pupil taps their card. A till retries on any
network error, so each charge carries the till's own transaction id, and
credit_ledger has UNIQUE (school_id, till_txn_id).
"""
import logging
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lunches.models import CreditLedgerEntry, PupilAccount

log = logging.getLogger(__name__)


class InsufficientCredit(Exception):
    pass


@dataclass(frozen=True)
class ChargeResult:
    entry_id: int
    balance: Decimal
    duplicate: bool = False


class LunchCreditService:
    def __init__(self, session: Session, school_id: int):
        self.session = session
        self.school_id = school_id

    def _account_for_update(self, pupil_id: int) -> PupilAccount:
        return self.session.scalars(
            select(PupilAccount)
            .where(PupilAccount.school_id == self.school_id, PupilAccount.pupil_id == pupil_id)
            .with_for_update()
        ).one()

    def _entry_for_txn(self, till_txn_id: str) -> CreditLedgerEntry | None:
        return self.session.scalar(
            select(CreditLedgerEntry).where(
                CreditLedgerEntry.school_id == self.school_id,
                CreditLedgerEntry.till_txn_id == till_txn_id,
            )
        )

    def charge_meal(self, pupil_id: int, amount: Decimal, till_txn_id: str) -> ChargeResult:
        existing = self._entry_for_txn(till_txn_id)
        if existing is not None:
            return ChargeResult(existing.id, existing.balance_after, duplicate=True)

        acct = self._account_for_update(pupil_id)  # row lock until commit
        if acct.balance - amount < -acct.overdraft_limit:
            self.session.rollback()
            raise InsufficientCredit(f"pupil {pupil_id} has {acct.balance} credit")

        acct.balance -= amount
        entry = CreditLedgerEntry(
            school_id=self.school_id,
            pupil_id=pupil_id,
            amount=-amount,
            kind="meal",
            till_txn_id=till_txn_id,
            balance_after=acct.balance,
        )
        self.session.add(entry)
        try:
            self.session.commit()
        except IntegrityError:
            # A retry of the same till transaction committed first; its charge stands.
            self.session.rollback()
            existing = self._entry_for_txn(till_txn_id)
            if existing is None:
                log.exception("ledger insert failed for school %s txn %s", self.school_id, till_txn_id)
                raise
            return ChargeResult(existing.id, existing.balance_after, duplicate=True)
        return ChargeResult(entry.id, acct.balance)

    def top_up(self, pupil_id: int, amount: Decimal, payment_ref: str) -> ChargeResult:
        acct = self._account_for_update(pupil_id)
        acct.balance += amount
        entry = CreditLedgerEntry(
            school_id=self.school_id,
            pupil_id=pupil_id,
            amount=amount,
            kind="top_up",
            till_txn_id=f"topup:{payment_ref}",
            balance_after=acct.balance,
        )
        self.session.add(entry)
        self.session.commit()
        return ChargeResult(entry.id, acct.balance)

    def recent_entries(self, pupil_id: int, limit: int = 30) -> list[CreditLedgerEntry]:
        return list(
            self.session.scalars(
                select(CreditLedgerEntry)
                .where(
                    CreditLedgerEntry.school_id == self.school_id,
                    CreditLedgerEntry.pupil_id == pupil_id,
                )
                .order_by(CreditLedgerEntry.id.desc())
                .limit(min(limit, 100))
            )
        )
