"""
Checkout API - FastAPI service behind the ticketing front end.

Production-ready endpoints for holding seats and completing an order.
Uses asyncpg for fast, fully async PostgreSQL access.
"""
import os
import uuid
from datetime import datetime, timedelta, timezone

import asyncpg
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, Field

DATABASE_URL = os.environ["DATABASE_URL"]
HOLD_MINUTES = 10

app = FastAPI(title="checkout-api", version="1.4.0")


class HoldRequest(BaseModel):
    event_id: int
    seat_ids: list[int] = Field(min_length=1, max_length=8)
    customer_id: int


class HoldResponse(BaseModel):
    hold_id: str
    expires_at: datetime


class ConfirmRequest(BaseModel):
    hold_id: str
    payment_intent_id: str


async def get_db():
    """Dependency: gives each request its own connection and always closes it."""
    conn = await asyncpg.connect(DATABASE_URL)
    try:
        yield conn
    finally:
        await conn.close()


@app.post("/holds", response_model=HoldResponse)
async def hold_seats(req: HoldRequest, conn: asyncpg.Connection = Depends(get_db)):
    """Hold the requested seats for HOLD_MINUTES so the customer can pay."""
    # 1. Verify every requested seat exists and is free (expired holds count as free)
    rows = await conn.fetch(
        "SELECT id, status, hold_until FROM seats WHERE event_id = $1 AND id = ANY($2::int[])",
        req.event_id,
        req.seat_ids,
    )
    if len(rows) != len(req.seat_ids):
        raise HTTPException(status_code=404, detail="Unknown seat")

    now = datetime.now(timezone.utc)
    taken = [
        r["id"]
        for r in rows
        if r["status"] == "sold" or (r["status"] == "held" and r["hold_until"] > now)
    ]
    if taken:
        raise HTTPException(status_code=409, detail={"unavailable": taken})

    # 2. Mark them as held for this customer
    hold_id = str(uuid.uuid4())
    expires_at = now + timedelta(minutes=HOLD_MINUTES)
    async with conn.transaction():
        await conn.execute(
            "UPDATE seats SET status = 'held', hold_id = $1, hold_until = $2, held_by = $3 "
            "WHERE id = ANY($4::int[])",
            hold_id,
            expires_at,
            req.customer_id,
            req.seat_ids,
        )
    return HoldResponse(hold_id=hold_id, expires_at=expires_at)


@app.post("/orders", status_code=201)
async def confirm_order(req: ConfirmRequest, conn: asyncpg.Connection = Depends(get_db)):
    """Turn a live hold into sold seats. Only succeeds while the hold is still valid."""
    async with conn.transaction():
        sold = await conn.fetch(
            "UPDATE seats SET status = 'sold', payment_intent_id = $2 "
            "WHERE hold_id = $1 AND status = 'held' AND hold_until > now() "
            "RETURNING id, price_cents",
            req.hold_id,
            req.payment_intent_id,
        )
        if not sold:
            raise HTTPException(status_code=410, detail="Hold expired or already used")

        order_id = await conn.fetchval(
            "INSERT INTO orders (hold_id, payment_intent_id, total_cents) "
            "VALUES ($1, $2, $3) RETURNING id",
            req.hold_id,
            req.payment_intent_id,
            sum(s["price_cents"] for s in sold),
        )
    return {"order_id": order_id, "seats": [s["id"] for s in sold]}


@app.get("/healthz")
async def healthz():
    return {"ok": True}
