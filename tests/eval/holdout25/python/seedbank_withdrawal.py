from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import SeedLot, Withdrawal, Member


class InsufficientSeed(Exception):
    pass


class WithdrawalService:
    """Handles members drawing packets from the rare-seed bank.

    A seed lot holds a fixed number of packets (grams for bulk lots). Several
    volunteers may process requests at the same time from the front desk and
    the postal queue, so the lot row is locked for the duration of the check.
    """

    def __init__(self, session: Session):
        self.session = session

    def withdraw(self, bank_id: int, member_id: int, lot_code: str,
                 packets: int) -> Withdrawal:
        if packets <= 0:
            raise ValueError("packets must be positive")

        with self.session.begin():
            lot = self.session.execute(
                select(SeedLot)
                .where(SeedLot.bank_id == bank_id, SeedLot.code == lot_code)
                .with_for_update()
            ).scalar_one()

            if lot.packets_available < packets:
                raise InsufficientSeed(
                    f"{lot_code}: {lot.packets_available} packets left"
                )

            member = self.session.execute(
                select(Member).where(Member.bank_id == bank_id,
                                     Member.id == member_id)
            ).scalar_one()

            lot.packets_available -= packets
            withdrawal = Withdrawal(
                bank_id=bank_id,
                lot_id=lot.id,
                member_id=member.id,
                packets=packets,
                germination_rate=Decimal(lot.last_germination_rate or 0),
            )
            self.session.add(withdrawal)
        return withdrawal

    def recent_withdrawals(self, bank_id: int, lot_code: str,
                           page: int = 1, per_page: int = 25):
        page = max(page, 1)
        per_page = min(per_page, 100)
        stmt = (
            select(Withdrawal)
            .join(SeedLot, SeedLot.id == Withdrawal.lot_id)
            .where(Withdrawal.bank_id == bank_id, SeedLot.code == lot_code)
            .order_by(Withdrawal.created_at.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
        return self.session.execute(stmt).scalars().all()
