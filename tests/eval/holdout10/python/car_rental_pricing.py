"""Quote + availability endpoints for the rental booking widget.

Runs as 4 uvicorn workers per pod, 3 pods (see deploy/pricing.yaml).
"""
import json
from datetime import date
from decimal import Decimal

import redis.asyncio as aioredis
from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from rental.auth import current_user, User
from rental.db import get_db
from rental.pricing_engine import Quote, price_rental

app = FastAPI(title="pricing")
redis = aioredis.from_url("redis://cache:6379/2", decode_responses=True)

# (branch_id, car_class, pickup, dropoff, promo) -> Quote
_quote_cache: dict[tuple, Quote] = {}

AVAILABILITY_SQL = text("""
    SELECT b.id AS branch_id, c.car_class,
           COUNT(*) FILTER (WHERE v.status = 'ready')                       AS ready,
           COUNT(*) FILTER (WHERE r.id IS NOT NULL)                          AS booked_next_7d,
           AVG(EXTRACT(EPOCH FROM (r.dropoff_at - r.pickup_at)) / 86400.0)  AS avg_days
    FROM branches b
    JOIN vehicles v ON v.branch_id = b.id
    JOIN car_classes c ON c.id = v.class_id
    LEFT JOIN reservations r ON r.vehicle_id = v.id
         AND r.pickup_at < now() + interval '7 days' AND r.dropoff_at > now()
    GROUP BY b.id, c.car_class
""")


@app.get("/quote")
async def quote(
    branch_id: int,
    car_class: str,
    pickup: date,
    dropoff: date,
    promo: str | None = None,
    db: AsyncSession = Depends(get_db),
):
    if dropoff <= pickup:
        raise HTTPException(400, "dropoff must be after pickup")
    key = (branch_id, car_class, pickup, dropoff, promo)
    if key not in _quote_cache:
        _quote_cache[key] = await price_rental(db, branch_id, car_class, pickup, dropoff, promo)
    q = _quote_cache[key]
    return {"total": str(q.total), "daily": str(q.daily), "currency": q.currency}


@app.get("/branches/{branch_id}/daily-rates")
async def daily_rates(
    branch_id: int,
    day: date = Query(default_factory=date.today),
    user: User = Depends(current_user),
    db: AsyncSession = Depends(get_db),
):
    """Public rate card for a branch (same for every customer; promos are applied at quote time)."""
    cache_key = f"daily_rates:{user.id}:{branch_id}:{day.isoformat()}"
    cached = await redis.get(cache_key)
    if cached:
        return json.loads(cached)
    rows = (await db.execute(
        text("SELECT car_class, daily_rate, currency FROM rate_cards "
             "WHERE branch_id = :b AND :d BETWEEN valid_from AND valid_to"),
        {"b": branch_id, "d": day},
    )).mappings().all()
    payload = [{**r, "daily_rate": str(Decimal(r["daily_rate"]))} for r in rows]
    await redis.set(cache_key, json.dumps(payload), ex=3600)
    return payload


@app.get("/fleet/availability")
async def fleet_availability(db: AsyncSession = Depends(get_db)):
    """Availability heatmap used on the landing page (every visitor loads it)."""
    cached = await redis.get("fleet:availability:v3")
    if cached is not None:
        return json.loads(cached)
    rows = (await db.execute(AVAILABILITY_SQL)).mappings().all()
    data = [
        {**r, "avg_days": float(r["avg_days"] or 0)} for r in rows
    ]
    await redis.set("fleet:availability:v3", json.dumps(data), ex=60)
    return data
