"""
Race-free bid placement.

Answer to: "two dealers bid at the same second and both got 'you are the high bidder' --
how do I fix place_bid?"

The original version loaded the auction, compared the amount in Python and then wrote the
new high bid, so two requests could both pass the check and the later commit silently won.
The fix is to let PostgreSQL do the comparison inside a single conditional UPDATE and look
at whether it matched a row. No explicit locks needed, and it also handles anti-sniping
(a bid in the last two minutes extends the auction).
"""
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, condecimal
from sqlalchemy import text
from sqlalchemy.orm import Session

from .db import get_db
from .security import Dealer, current_dealer

router = APIRouter()


class BidIn(BaseModel):
    amount: condecimal(gt=0, max_digits=10, decimal_places=2)


PLACE_BID = text("""
    UPDATE auctions
       SET current_bid = :amount,
           leader_id   = :dealer_id,
           bid_count   = bid_count + 1,
           ends_at     = GREATEST(ends_at, now() + interval '2 minutes')
     WHERE id = :auction_id
       AND status = 'open'
       AND ends_at > now()
       AND :amount >= COALESCE(current_bid, reserve_start) + increment
 RETURNING current_bid, ends_at
""")

RECORD_BID = text("INSERT INTO bids (auction_id, dealer_id, amount) VALUES (:auction_id, :dealer_id, :amount)")


@router.post("/auctions/{auction_id}/bids", status_code=201)
def place_bid(
    auction_id: int,
    body: BidIn,
    dealer: Dealer = Depends(current_dealer),
    db: Session = Depends(get_db),
):
    params = {"auction_id": auction_id, "dealer_id": dealer.id, "amount": body.amount}
    with db.begin():
        won = db.execute(PLACE_BID, params).first()
        if won is None:
            # The UPDATE matched nothing: read the row only to explain *why* to the dealer.
            state = db.execute(
                text("SELECT status, ends_at > now() AS running, current_bid, reserve_start, increment "
                     "FROM auctions WHERE id = :id"),
                {"id": auction_id},
            ).first()
            if state is None:
                raise HTTPException(404, "auction not found")
            if state.status != "open" or not state.running:
                raise HTTPException(409, "auction closed")
            min_next = (state.current_bid or state.reserve_start) + state.increment
            raise HTTPException(409, {"error": "outbid", "min_next": str(min_next)})
        db.execute(RECORD_BID, params)
    return {"leading": True, "current_bid": str(won.current_bid), "ends_at": won.ends_at.isoformat()}

# Also worth adding (migration):
#   CREATE INDEX CONCURRENTLY bids_auction_id_created_idx ON bids (auction_id, created_at DESC);
