import os
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from decimal import Decimal

import asyncpg
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from pydantic import BaseModel, condecimal

from .auth import current_bidder


@asynccontextmanager
async def lifespan(app: FastAPI):
    # one pool per worker, shared by all requests
    app.state.pool = await asyncpg.create_pool(
        os.environ["DATABASE_URL"], min_size=2, max_size=20, command_timeout=10
    )
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


async def get_conn(request: Request):
    async with request.app.state.pool.acquire() as conn:
        yield conn


class BidIn(BaseModel):
    amount: condecimal(gt=0, max_digits=12, decimal_places=2)


@app.post("/lots/{lot_id}/bids", status_code=201)
async def place_bid(lot_id: int, bid: BidIn, bidder=Depends(current_bidder), conn=Depends(get_conn)):
    async with conn.transaction():
        lot = await conn.fetchrow(
            "SELECT id, current_price, min_increment, ends_at, seller_id "
            "FROM lots WHERE id = $1 FOR UPDATE",
            lot_id,
        )
        if lot is None:
            raise HTTPException(404, "lot not found")
        if lot["ends_at"] <= datetime.now(timezone.utc):
            raise HTTPException(409, "auction closed")
        if lot["seller_id"] == bidder.id:
            raise HTTPException(403, "cannot bid on your own lot")
        minimum = lot["current_price"] + lot["min_increment"]
        if Decimal(bid.amount) < minimum:
            raise HTTPException(409, f"bid must be at least {minimum}")

        bid_id = await conn.fetchval(
            "INSERT INTO bids (lot_id, bidder_id, amount) VALUES ($1, $2, $3) RETURNING id",
            lot_id, bidder.id, bid.amount,
        )
        await conn.execute(
            "UPDATE lots SET current_price = $2, leading_bid_id = $3 WHERE id = $1",
            lot_id, bid.amount, bid_id,
        )
    return {"bid_id": bid_id, "amount": str(bid.amount)}


@app.get("/lots/{lot_id}/bids")
async def bid_history(
    lot_id: int,
    before_id: int | None = None,
    limit: int = Query(50, le=200),
    conn=Depends(get_conn),
):
    rows = await conn.fetch(
        "SELECT b.id, b.amount, b.created_at, u.display_name "
        "FROM bids b JOIN users u ON u.id = b.bidder_id "
        "WHERE b.lot_id = $1 AND ($2::bigint IS NULL OR b.id < $2) "
        "ORDER BY b.id DESC LIMIT $3",
        lot_id, before_id, limit,
    )
    return [dict(r) for r in rows]


@app.post("/lots/{lot_id}/watch", status_code=204)
async def watch_lot(lot_id: int, bidder=Depends(current_bidder), conn=Depends(get_conn)):
    await conn.execute(
        "INSERT INTO watchlist (bidder_id, lot_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        bidder.id, lot_id,
    )
