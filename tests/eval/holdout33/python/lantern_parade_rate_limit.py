"""Throttling for the lantern parade workshop booking API.

The API runs on 4 pods behind the ingress, so the counters live in Redis
where every pod sees the same numbers. Limits are per signed-in family
account, not per IP: half the town books from the library's wifi.
"""
import time

import redis.asyncio as redis
from fastapi import Depends, FastAPI, HTTPException, Request, Response

from .auth import Account, current_account
from .settings import settings

app = FastAPI()

redis_client = redis.Redis.from_url(
    settings.redis_url,
    socket_timeout=1.0,
    socket_connect_timeout=1.0,
    max_connections=50,
)

WINDOW_SECONDS = 60
LIMITS = {
    "booking": 6,
    "search": 120,
}


async def hit(bucket: str, account_id: int) -> tuple[int, int]:
    """Fixed-window counter: INCR is atomic, the key expires with its window."""
    window = int(time.time() // WINDOW_SECONDS)
    key = f"rl:{bucket}:{account_id}:{window}"
    async with redis_client.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, WINDOW_SECONDS * 2)
        count, _ = await pipe.execute()
    reset_in = WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
    return count, reset_in


def rate_limited(bucket: str):
    async def dependency(
        response: Response,
        account: Account = Depends(current_account),
    ) -> Account:
        count, reset_in = await hit(bucket, account.id)
        limit = LIMITS[bucket]
        response.headers["X-RateLimit-Limit"] = str(limit)
        response.headers["X-RateLimit-Remaining"] = str(max(limit - count, 0))
        if count > limit:
            raise HTTPException(
                status_code=429,
                detail="Too many requests, please wait a moment",
                headers={"Retry-After": str(reset_in)},
            )
        return account

    return dependency


@app.get("/workshops/search")
async def search_workshops(q: str, account: Account = Depends(rate_limited("search"))):
    results = await app.state.search.query(q, limit=20)
    return {"results": results}


@app.post("/workshops/{workshop_id}/book")
async def book_workshop(
    workshop_id: int,
    request: Request,
    account: Account = Depends(rate_limited("booking")),
):
    body = await request.json()
    place = await app.state.bookings.take_place(
        workshop_id=workshop_id,
        account_id=account.id,
        children=int(body.get("children", 0)),
        idempotency_key=request.headers.get("Idempotency-Key"),
    )
    return {"place_id": place.id, "workshop_id": workshop_id}
