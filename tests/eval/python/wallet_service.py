from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .errors import InsufficientFunds
from .models import Wallet, WalletEntry


def spend(db: Session, wallet_id: int, amount: Decimal, reason: str) -> Decimal:
    wallet = db.get(Wallet, wallet_id)
    if wallet.balance < amount:
        raise InsufficientFunds(wallet_id)
    wallet.balance = wallet.balance - amount
    db.add(WalletEntry(wallet_id=wallet_id, delta=-amount, reason=reason))
    db.commit()
    return wallet.balance


def top_up(db: Session, wallet_id: int, amount: Decimal) -> Decimal:
    new_balance = db.execute(
        update(Wallet)
        .where(Wallet.id == wallet_id)
        .values(balance=Wallet.balance + amount)
        .returning(Wallet.balance)
    ).scalar_one()
    db.add(WalletEntry(wallet_id=wallet_id, delta=amount, reason="top-up"))
    db.commit()
    return new_balance


def transfer(db: Session, src_id: int, dst_id: int, amount: Decimal) -> None:
    with db.begin():
        src, dst = db.scalars(
            select(Wallet)
            .where(Wallet.id.in_([src_id, dst_id]))
            .order_by(Wallet.id)
            .with_for_update()
        ).all()
        if src.id != src_id:
            src, dst = dst, src
        if src.balance < amount:
            raise InsufficientFunds(src_id)
        src.balance -= amount
        dst.balance += amount
