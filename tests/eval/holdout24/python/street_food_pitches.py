"""Pitch management API for the MarketDay platform.

Every market operator (a council, a night-market collective, ...) is a tenant;
traders apply for pitches through the public form and operators allocate them.
"""
from datetime import date

import redis.asyncio as redis
from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, EmailStr

from .auth import Operator, current_operator
from .db import get_pool
from .settings import settings

router = APIRouter()
limiter = redis.from_url(settings.redis_url, socket_timeout=2)

APPLICATIONS_PER_HOUR = 5


class PitchApplication(BaseModel):
    market_slug: str
    trader_name: str
    email: EmailStr
    cuisine: str
    needs_power: bool = False
    gas_cert_expires: date | None = None


@router.post("/public/applications", status_code=202)
async def apply_for_pitch(app_in: PitchApplication, request: Request, pool=Depends(get_pool)):
    # Cloudflare sits in front of us, so use the first hop as the client address.
    client_ip = request.headers.get("x-forwarded-for", request.client.host).split(",")[0].strip()
    key = f"pitch-apply:{client_ip}"
    count = await limiter.incr(key)
    if count == 1:
        await limiter.expire(key, 3600)
    if count > APPLICATIONS_PER_HOUR:
        raise HTTPException(status_code=429, detail="Too many applications, try later")

    market = await pool.fetchrow(
        "SELECT id, operator_id FROM markets WHERE slug = $1 AND accepting_applications",
        app_in.market_slug,
    )
    if market is None:
        raise HTTPException(status_code=404, detail="Market not open for applications")

    await pool.execute(
        """INSERT INTO pitch_applications
               (operator_id, market_id, trader_name, email, cuisine, needs_power, gas_cert_expires)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        market["operator_id"], market["id"], app_in.trader_name, app_in.email,
        app_in.cuisine, app_in.needs_power, app_in.gas_cert_expires,
    )
    return {"status": "received"}


@router.get("/markets/{market_id}/pitches")
async def list_pitches(market_id: int, op: Operator = Depends(current_operator), pool=Depends(get_pool)):
    rows = await pool.fetch(
        """SELECT id, code, width_m, depth_m, has_power, trader_id
             FROM pitches
            WHERE operator_id = $1 AND market_id = $2
            ORDER BY code
            LIMIT 300""",
        op.tenant_id, market_id,
    )
    return [dict(r) for r in rows]


@router.get("/pitches/{pitch_id}")
async def get_pitch(pitch_id: int, op: Operator = Depends(current_operator), pool=Depends(get_pool)):
    row = await pool.fetchrow(
        "SELECT id, code, market_id, width_m, depth_m, has_power, trader_id, notes FROM pitches WHERE id = $1",
        pitch_id,
    )
    if row is None:
        raise HTTPException(status_code=404)
    return dict(row)


@router.put("/pitches/{pitch_id}/trader")
async def assign_trader(pitch_id: int, trader_id: int, op: Operator = Depends(current_operator), pool=Depends(get_pool)):
    result = await pool.execute(
        "UPDATE pitches SET trader_id = $1 WHERE id = $2 AND operator_id = $3 AND trader_id IS NULL",
        trader_id, pitch_id, op.tenant_id,
    )
    if result == "UPDATE 0":
        raise HTTPException(status_code=409, detail="Pitch already taken or not yours")
    return {"pitch_id": pitch_id, "trader_id": trader_id}
