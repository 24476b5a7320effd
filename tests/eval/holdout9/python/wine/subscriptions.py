"""Wine club subscription service (SQLAlchemy 2.0, sync sessions).

Layered: routes call SubscriptionService, which owns the transaction.
"""
import logging
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import Bottle, ClubMember, Shipment, ShipmentLine

log = logging.getLogger(__name__)


class OutOfStock(Exception):
    pass


class SubscriptionService:
    def __init__(self, session: Session):
        self.session = session

    def reserve_bottles(self, shipment_id: int, sku: str, qty: int) -> None:
        """Decrement cellar stock only if enough bottles remain."""
        result = self.session.execute(
            update(Bottle)
            .where(Bottle.sku == sku, Bottle.stock >= qty)
            .values(stock=Bottle.stock - qty)
        )
        if result.rowcount != 1:
            raise OutOfStock(sku)
        self.session.add(ShipmentLine(shipment_id=shipment_id, sku=sku, qty=qty))

    def apply_credit(self, member_id: int, amount: Decimal) -> Decimal:
        """Use store credit on the next shipment. Row is locked for the txn."""
        with self.session.begin():
            member = self.session.execute(
                select(ClubMember).where(ClubMember.id == member_id).with_for_update()
            ).scalar_one()
            if member.credit < amount:
                raise ValueError("insufficient credit")
            member.credit = member.credit - amount
            return member.credit

    def create_shipment(self, member_id: int, month: str) -> Shipment:
        """One shipment per member per month (unique constraint on member_id, month)."""
        shipment = Shipment(member_id=member_id, month=month, status="pending")
        self.session.add(shipment)
        try:
            self.session.flush()
        except IntegrityError:
            self.session.rollback()
            log.info("shipment for member %s month %s already exists", member_id, month)
            return self.session.execute(
                select(Shipment).where(Shipment.member_id == member_id, Shipment.month == month)
            ).scalar_one()
        return shipment

    def upcoming_shipments(self, member_id: int, page: int = 1, per_page: int = 12):
        return self.session.execute(
            select(Shipment)
            .where(Shipment.member_id == member_id)
            .order_by(Shipment.month.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).scalars().all()
