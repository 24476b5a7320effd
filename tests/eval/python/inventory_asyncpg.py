"""Stock reservations. The service runs 6 replicas; all state is in Postgres."""
from fastapi import APIRouter, Depends, HTTPException

from .db import get_conn

router = APIRouter()


@router.post("/reservations")
async def reserve(sku: str, qty: int, order_id: int, conn=Depends(get_conn)):
    async with conn.transaction():
        row = await conn.fetchrow(
            "UPDATE stock SET available = available - $2 "
            "WHERE sku = $1 AND available >= $2 RETURNING available",
            sku, qty,
        )
        if row is None:
            raise HTTPException(409, "not enough stock")
        await conn.execute(
            "INSERT INTO reservations (order_id, sku, qty) VALUES ($1, $2, $3) "
            "ON CONFLICT (order_id, sku) DO NOTHING",
            order_id, sku, qty,
        )
    return {"sku": sku, "available": row["available"]}


@router.post("/skus")
async def create_sku(sku: str, name: str, conn=Depends(get_conn)):
    existing = await conn.fetchval("SELECT 1 FROM products WHERE sku = $1", sku)
    if existing:
        raise HTTPException(409, "sku exists")
    inserted = await conn.fetchval(
        "INSERT INTO products (sku, name) VALUES ($1, $2) ON CONFLICT (sku) DO NOTHING RETURNING sku",
        sku, name,
    )
    if inserted is None:
        raise HTTPException(409, "sku exists")
    return {"sku": sku}
