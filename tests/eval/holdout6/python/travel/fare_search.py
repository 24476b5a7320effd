# travel-api: fare search + seat holds
# 6 pods on GKE, Redis (Memorystore) shared, Postgres 15
import json
import uuid
from datetime import datetime, timedelta, timezone

import asyncpg
import httpx
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from redis import asyncio as aioredis

from .config import settings
from .suppliers import query_suppliers  # fans out to 3 GDS suppliers, 2-6 s

app = FastAPI()
redis = aioredis.from_url(settings.redis_url, decode_responses=True)
http = httpx.AsyncClient(timeout=httpx.Timeout(8.0, connect=2.0))
pool: asyncpg.Pool | None = None

FARE_TTL = 600
HOLD_MINUTES = 15


@app.on_event("startup")
async def startup():
    global pool
    pool = await asyncpg.create_pool(settings.database_url, min_size=2, max_size=20)


class HoldRequest(BaseModel):
    user_id: int
    offer_id: str
    seats: int


@app.get("/fares")
async def search_fares(origin: str, destination: str, date: str, cabin: str = "economy"):
    key = f"fares:{origin}:{destination}:{date}:{cabin}"
    cached = await redis.get(key)
    if cached:
        return json.loads(cached)

    offers = await query_suppliers(http, origin, destination, date, cabin)
    async with pool.acquire() as conn:
        # blend in our negotiated corporate fares
        negotiated = await conn.fetch(
            "SELECT carrier, fare_basis, price_cents FROM negotiated_fares "
            "WHERE origin = $1 AND destination = $2 AND valid_from <= $3 AND valid_to >= $3",
            origin, destination, date,
        )
    result = {"offers": sorted(offers + [dict(r) for r in negotiated], key=lambda o: o["price_cents"])[:100]}
    await redis.set(key, json.dumps(result), ex=FARE_TTL)
    return result


@app.post("/holds", status_code=201)
async def hold_seats(body: HoldRequest):
    hold_id = uuid.uuid4()
    expires = datetime.now(timezone.utc) + timedelta(minutes=HOLD_MINUTES)
    async with pool.acquire() as conn:
        async with conn.transaction():
            updated = await conn.execute(
                "UPDATE offers SET seats_left = seats_left - $1 WHERE id = $2 AND seats_left >= $1",
                body.seats, body.offer_id,
            )
            if updated == "UPDATE 0":
                raise HTTPException(409, "not enough seats")
            await conn.execute(
                "INSERT INTO fare_holds (id, user_id, offer_id, seats, expires_at) VALUES ($1, $2, $3, $4, $5)",
                hold_id, body.user_id, body.offer_id, body.seats, expires,
            )
    return {"hold_id": str(hold_id), "expires_at": expires.isoformat()}


@app.get("/holds/{hold_id}")
async def get_hold(hold_id: uuid.UUID):
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT id, offer_id, seats, expires_at FROM fare_holds WHERE id = $1 AND expires_at > now()",
            hold_id,
        )
    if row is None:
        raise HTTPException(404, "hold expired or not found")
    return dict(row)
