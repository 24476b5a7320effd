"""Bidding endpoints for the Halcyon online art auctions."""
from datetime import datetime, timezone
from decimal import Decimal

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, condecimal
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .auth import current_bidder
from .db import get_db
from .increments import min_next_bid
from .models import Bid, Lot

router = APIRouter(prefix="/lots")


class BidIn(BaseModel):
    amount: condecimal(gt=0, max_digits=12, decimal_places=2)


class BidOut(BaseModel):
    amount: Decimal
    placed_at: datetime
    paddle: int


@router.post("/{lot_id}/bids", status_code=201)
def place_bid(lot_id: int, body: BidIn, db: Session = Depends(get_db), bidder=Depends(current_bidder)):
    lot = db.get(Lot, lot_id)
    if lot is None:
        raise HTTPException(404, "Lot not found")
    if lot.closes_at <= datetime.now(timezone.utc):
        raise HTTPException(409, "Bidding on this lot has closed")
    if body.amount < min_next_bid(lot.current_bid, lot.opening_bid):
        raise HTTPException(422, "Bid is below the next increment")

    # Optimistic concurrency: the update only applies if nobody else has bid since we
    # read the lot (version unchanged) and the lot is still open.
    result = db.execute(
        update(Lot)
        .where(Lot.id == lot_id, Lot.version == lot.version, Lot.closes_at > datetime.now(timezone.utc))
        .values(
            current_bid=body.amount,
            leading_bidder_id=bidder.id,
            bid_count=Lot.bid_count + 1,
            version=Lot.version + 1,
        )
    )
    if result.rowcount != 1:
        db.rollback()
        raise HTTPException(409, "Someone placed a bid first - refresh and try again")

    db.add(Bid(lot_id=lot_id, bidder_id=bidder.id, paddle=bidder.paddle, amount=body.amount))
    db.commit()
    return {"lot_id": lot_id, "current_bid": body.amount, "leading": True}


@router.get("/{lot_id}/bids", response_model=list[BidOut])
def bid_history(
    lot_id: int,
    db: Session = Depends(get_db),
    limit: int = Query(25, ge=1, le=100),
    before: datetime | None = None,
):
    stmt = select(Bid).where(Bid.lot_id == lot_id)
    if before is not None:
        stmt = stmt.where(Bid.placed_at < before)
    return db.scalars(stmt.order_by(Bid.placed_at.desc()).limit(limit)).all()


@router.get("/{lot_id}")
def lot_detail(lot_id: int, db: Session = Depends(get_db)):
    lot = db.get(Lot, lot_id)
    if lot is None:
        raise HTTPException(404, "Lot not found")
    return {
        "id": lot.id,
        "title": lot.title,
        "artist": lot.artist,
        "estimate": [lot.estimate_low, lot.estimate_high],
        "current_bid": lot.current_bid,
        "bid_count": lot.bid_count,
        "closes_at": lot.closes_at,
    }
