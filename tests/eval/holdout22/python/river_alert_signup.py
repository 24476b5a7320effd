"""Public sign-up for river level text alerts.

The API runs on several replicas (k8s HPA, 2-8 pods), so rate-limit counters
and verification codes live in Redis, never in process memory. Uvicorn is
started with --proxy-headers and --forwarded-allow-ips set to the ingress
subnet only, so request.client.host is the address the ingress saw.
"""
import secrets
import time

import redis.asyncio as aioredis
from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from floodwatch.db import get_async_db
from floodwatch.settings import settings
from floodwatch.sms import queue_sms

router = APIRouter(prefix="/alerts")
r = aioredis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)

WINDOW_SECONDS = 600
MAX_SIGNUPS_PER_WINDOW = 5
CODE_TTL_SECONDS = 900


class SignupIn(BaseModel):
    phone: str = Field(pattern=r"^\+44\d{10}$")
    station_ids: list[int] = Field(min_length=1, max_length=10)


async def _within_limit(bucket: str) -> bool:
    """Sliding-window limit shared by every replica (sorted set of timestamps)."""
    now = time.time()
    key = f"rl:alert-signup:{bucket}"
    async with r.pipeline(transaction=True) as pipe:
        pipe.zremrangebyscore(key, 0, now - WINDOW_SECONDS)
        pipe.zadd(key, {f"{now}:{secrets.token_hex(4)}": now})
        pipe.zcard(key)
        pipe.expire(key, WINDOW_SECONDS)
        _, _, count, _ = await pipe.execute()
    return count <= MAX_SIGNUPS_PER_WINDOW


@router.post("/signup", status_code=202)
async def signup(body: SignupIn, request: Request, db: AsyncSession = Depends(get_async_db)):
    peer = request.client.host if request.client else "unknown"
    if not await _within_limit(f"ip:{peer}") or not await _within_limit(f"phone:{body.phone}"):
        raise HTTPException(status_code=429, detail="Too many sign-up attempts")

    await db.execute(
        text(
            "INSERT INTO alert_subscribers (phone, verified) VALUES (:phone, false) "
            "ON CONFLICT (phone) DO NOTHING"
        ),
        {"phone": body.phone},
    )
    await db.commit()

    code = f"{secrets.randbelow(1_000_000):06d}"
    # the code expires on its own; nothing to clean up later
    await r.set(f"alert-code:{body.phone}", f"{code}:{','.join(map(str, body.station_ids))}",
                ex=CODE_TTL_SECONDS)
    await queue_sms(body.phone, f"Your river alert code is {code}")
    return {"status": "code sent"}


@router.post("/verify")
async def verify(phone: str, code: str, db: AsyncSession = Depends(get_async_db)):
    stored = await r.getdel(f"alert-code:{phone}")
    if stored is None:
        raise HTTPException(status_code=400, detail="Code expired, please sign up again")
    expected, stations = stored.decode().split(":", 1)
    if not secrets.compare_digest(expected, code):
        raise HTTPException(status_code=400, detail="Wrong code")

    await db.execute(
        text(
            "INSERT INTO alert_subscriptions (subscriber_id, station_id) "
            "SELECT s.id, st FROM alert_subscribers s, unnest(CAST(:stations AS int[])) AS st "
            "WHERE s.phone = :phone ON CONFLICT DO NOTHING"
        ),
        {"phone": phone, "stations": [int(x) for x in stations.split(",")]},
    )
    await db.execute(text("UPDATE alert_subscribers SET verified = true WHERE phone = :phone"),
                     {"phone": phone})
    await db.commit()
    return {"status": "subscribed"}
