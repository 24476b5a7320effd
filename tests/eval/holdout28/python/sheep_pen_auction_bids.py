"""Bidding for the dry-stone sheep pen restoration auction.

Farms put derelict sheep pens (stells and folds) up as auction lots; waller
teams bid to restore them. A bid must beat the current high bid by the lot's
minimum increment, and bidding closes at the lot's closing time.
"""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuctionLot, Bid


class BidRejected(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def place_bid(session: Session, lot_id: int, team_id: int, amount: Decimal) -> Bid:
    """Record a bid on a lot. Concurrent bids on the same lot are serialised by
    the row lock on the lot, so the high-bid comparison is always current."""
    with session.begin():
        lot = session.execute(
            select(AuctionLot).where(AuctionLot.id == lot_id).with_for_update()
        ).scalar_one_or_none()
        if lot is None:
            raise BidRejected("no such lot")

        now = datetime.now(timezone.utc)
        if lot.closes_at <= now:
            raise BidRejected("bidding on this lot has closed")

        floor = lot.reserve if lot.high_bid is None else lot.high_bid + lot.min_increment
        if amount < floor:
            raise BidRejected(f"bid must be at least {floor}")
        if lot.high_bid_team_id == team_id:
            raise BidRejected("you already hold the high bid")

        bid = Bid(lot_id=lot.id, team_id=team_id, amount=amount, placed_at=now)
        session.add(bid)
        lot.high_bid = amount
        lot.high_bid_team_id = team_id
        lot.bid_count = AuctionLot.bid_count + 1
    return bid


def bid_history(session: Session, lot_id: int, limit: int = 30) -> list[dict]:
    rows = session.execute(
        select(Bid.amount, Bid.placed_at, Bid.team_id)
        .where(Bid.lot_id == lot_id)
        .order_by(Bid.placed_at.desc())
        .limit(min(limit, 100))
    ).all()
    return [
        {"amount": str(r.amount), "placed_at": r.placed_at.isoformat(), "team_id": r.team_id}
        for r in rows
    ]


def open_lots(session: Session, county: str, page_size: int = 25, after_id: int = 0) -> list[dict]:
    now = datetime.now(timezone.utc)
    lots = session.scalars(
        select(AuctionLot)
        .where(AuctionLot.county == county, AuctionLot.closes_at > now, AuctionLot.id > after_id)
        .order_by(AuctionLot.id)
        .limit(page_size)
    ).all()
    return [
        {
            "id": lot.id,
            "farm": lot.farm_name,
            "pen_type": lot.pen_type,
            "wall_metres": lot.wall_metres,
            "high_bid": None if lot.high_bid is None else str(lot.high_bid),
            "closes_at": lot.closes_at.isoformat(),
        }
        for lot in lots
    ]
