# auctions/api.py -- used-car auction bidding (FastAPI + SQLAlchemy 2.0, sync sessions)
from datetime import datetime, timezone

import requests
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, condecimal
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_db
from .models import Auction, Bid, Vehicle
from .security import Dealer, current_dealer

router = APIRouter()

VPIC_URL = "https://vpic.nhtsa.dot.gov/api/vehicles/DecodeVinValues/{vin}?format=json"

# VIN -> decoded make/model/year; vPIC is slow so keep what we've looked up
_vin_cache: dict[str, dict] = {}


def decode_vin(vin: str) -> dict:
    if vin in _vin_cache:
        return _vin_cache[vin]
    r = requests.get(VPIC_URL.format(vin=vin), timeout=5)
    r.raise_for_status()
    row = r.json()["Results"][0]
    info = {
        "make": row.get("Make"),
        "model": row.get("Model"),
        "year": row.get("ModelYear"),
        "trim": row.get("Trim") or None,
        "engine": row.get("DisplacementL"),
    }
    _vin_cache[vin] = info
    return info


class BidIn(BaseModel):
    amount: condecimal(gt=0, max_digits=10, decimal_places=2)


@router.get("/auctions/history")
def auction_history(db: Session = Depends(get_db)):
    """Closed auctions with hammer price -- used by the 'recent sales' page and the dealer app."""
    stmt = (
        select(Auction, Vehicle)
        .join(Vehicle, Vehicle.id == Auction.vehicle_id)
        .where(Auction.status == "closed")
        .order_by(Auction.ends_at.desc())
    )
    rows = db.execute(stmt).all()
    return [
        {
            "auction_id": a.id,
            "vin": v.vin,
            "mileage": v.mileage,
            "hammer_price": str(a.current_bid) if a.current_bid else None,
            "ended": a.ends_at.isoformat(),
        }
        for a, v in rows
    ]


@router.get("/auctions/{auction_id}")
def get_auction(auction_id: int, db: Session = Depends(get_db)):
    auction = db.get(Auction, auction_id)
    if auction is None:
        raise HTTPException(404, "auction not found")
    vehicle = db.get(Vehicle, auction.vehicle_id)
    return {
        "id": auction.id,
        "status": auction.status,
        "current_bid": str(auction.current_bid) if auction.current_bid else None,
        "ends_at": auction.ends_at.isoformat(),
        "vehicle": {"vin": vehicle.vin, "mileage": vehicle.mileage, **decode_vin(vehicle.vin)},
    }


@router.post("/auctions/{auction_id}/bids", status_code=201)
def place_bid(
    auction_id: int,
    body: BidIn,
    dealer: Dealer = Depends(current_dealer),
    db: Session = Depends(get_db),
):
    current = db.execute(select(Auction).where(Auction.id == auction_id)).scalar_one_or_none()
    if current is None:
        raise HTTPException(404, "auction not found")
    if current.status != "open" or current.ends_at <= datetime.now(timezone.utc):
        raise HTTPException(409, "auction closed")

    min_next = (current.current_bid or current.reserve_start) + current.increment
    if body.amount < min_next:
        raise HTTPException(422, f"minimum bid is {min_next}")

    current.current_bid = body.amount
    current.leader_id = dealer.id
    db.add(Bid(auction_id=auction_id, dealer_id=dealer.id, amount=body.amount))
    db.commit()
    return {"leading": True, "current_bid": str(current.current_bid)}
