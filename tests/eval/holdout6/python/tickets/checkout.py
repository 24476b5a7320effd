# resale checkout service -- runs on 4 pods, asyncpg pool per pod
import logging
import uuid

import asyncpg
from fastapi import APIRouter, Depends, HTTPException, Request

log = logging.getLogger("checkout")
router = APIRouter(prefix="/checkout")

HOLD_MINUTES = 10


async def get_pool(request: Request) -> asyncpg.Pool:
    # created once in the app lifespan: app.state.pool = await asyncpg.create_pool(...)
    return request.app.state.pool


@router.post("/listings/{listing_id}/hold")
async def hold_listing(listing_id: int, buyer_id: int, pool: asyncpg.Pool = Depends(get_pool)):
    """Reserve a resale listing for one buyer for 10 minutes."""
    hold_id = uuid.uuid4()
    async with pool.acquire() as conn:
        # single conditional UPDATE: only one buyer can flip active -> held
        row = await conn.fetchrow(
            """
            UPDATE listings
               SET status = 'held', held_by = $2, hold_id = $3,
                   hold_until = now() + make_interval(mins => $4)
             WHERE id = $1 AND status = 'active'
            RETURNING id, price_cents, hold_until
            """,
            listing_id, buyer_id, hold_id, HOLD_MINUTES,
        )
    if row is None:
        raise HTTPException(409, "listing no longer available")
    return {"hold_id": str(hold_id), "price_cents": row["price_cents"], "hold_until": row["hold_until"]}


@router.post("/holds/{hold_id}/purchase")
async def purchase(hold_id: uuid.UUID, buyer_id: int, payment_ref: str, pool: asyncpg.Pool = Depends(get_pool)):
    async with pool.acquire() as conn:
        async with conn.transaction():
            listing = await conn.fetchrow(
                "SELECT id, seller_id, price_cents, status, held_by, hold_until "
                "FROM listings WHERE hold_id = $1 FOR UPDATE",
                hold_id,
            )
            if listing is None or listing["held_by"] != buyer_id or listing["status"] != "held":
                raise HTTPException(409, "hold not found")
            if listing["hold_until"] < await conn.fetchval("SELECT now()"):
                raise HTTPException(410, "hold expired")

            # payment_ref is unique: a double-submitted form inserts nothing the second time
            order_id = await conn.fetchval(
                "INSERT INTO resale_orders (listing_id, buyer_id, seller_id, amount_cents, payment_ref) "
                "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (payment_ref) DO NOTHING RETURNING id",
                listing["id"], buyer_id, listing["seller_id"], listing["price_cents"], payment_ref,
            )
            if order_id is None:
                raise HTTPException(409, "already purchased")
            await conn.execute("UPDATE listings SET status = 'sold' WHERE id = $1", listing["id"])
    return {"order_id": order_id}


async def release_expired_holds(pool: asyncpg.Pool) -> int:
    """Called every minute by the scheduler (apscheduler, one leader pod)."""
    async with pool.acquire() as conn:
        result = await conn.execute(
            "UPDATE listings SET status = 'active', held_by = NULL, hold_id = NULL, hold_until = NULL "
            "WHERE status = 'held' AND hold_until < now()"
        )
    released = int(result.split()[-1])
    if released:
        log.info("released %d expired holds", released)
    return released
