"""
RSVP endpoints for the language-exchange meetups app -- fixed version.

Q: "When a popular Spanish/English night opens we sometimes end up with 32 RSVPs for a
    24-seat cafe. Also the rate limiter stopped working since we moved to 4 pods."

A: Two changes:
   1. Seats are claimed with a single conditional UPDATE (`seats_taken < capacity`) in the
      same transaction as the RSVP insert. The insert uses ON CONFLICT DO NOTHING, so a
      double-click can't consume two seats.
   2. The per-user limit now lives in Redis (INCR + EXPIRE in one pipeline), so all 4 pods
      share the same counter.
"""
import os

import asyncpg
import redis.asyncio as redis
from fastapi import Depends, FastAPI, HTTPException, Query

from .auth import User, current_user

app = FastAPI()
RSVP_LIMIT_PER_MIN = 10


@app.on_event("startup")
async def startup() -> None:
    app.state.pool = await asyncpg.create_pool(
        os.environ["DATABASE_URL"], min_size=2, max_size=20, command_timeout=5
    )
    app.state.redis = redis.from_url(os.environ["REDIS_URL"], socket_timeout=1.0)


async def rsvp_rate_limit(user: User = Depends(current_user)) -> User:
    key = f"rl:rsvp:{user.id}"
    async with app.state.redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, 60, nx=True)
        count, _ = await pipe.execute()
    if count > RSVP_LIMIT_PER_MIN:
        raise HTTPException(429, "Slow down a little")
    return user


@app.post("/meetups/{meetup_id}/rsvp", status_code=201)
async def rsvp(meetup_id: int, user: User = Depends(rsvp_rate_limit)):
    async with app.state.pool.acquire() as conn:
        async with conn.transaction():
            rsvp_id = await conn.fetchval(
                "INSERT INTO rsvps (meetup_id, user_id) VALUES ($1, $2) "
                "ON CONFLICT (meetup_id, user_id) DO NOTHING RETURNING id",
                meetup_id, user.id,
            )
            if rsvp_id is None:
                return {"status": "already_going"}
            seats = await conn.fetchval(
                "UPDATE meetups SET seats_taken = seats_taken + 1 "
                "WHERE id = $1 AND seats_taken < capacity AND starts_at > now() "
                "RETURNING seats_taken",
                meetup_id,
            )
            if seats is None:
                # raising inside the transaction block rolls back the RSVP row too
                raise HTTPException(409, "This meetup is full")
    return {"status": "going", "seat_number": seats}


@app.delete("/meetups/{meetup_id}/rsvp", status_code=204)
async def cancel_rsvp(meetup_id: int, user: User = Depends(current_user)):
    async with app.state.pool.acquire() as conn:
        async with conn.transaction():
            gone = await conn.fetchval(
                "DELETE FROM rsvps WHERE meetup_id = $1 AND user_id = $2 RETURNING id", meetup_id, user.id
            )
            if gone is not None:
                await conn.execute(
                    "UPDATE meetups SET seats_taken = seats_taken - 1 WHERE id = $1 AND seats_taken > 0", meetup_id
                )


@app.get("/meetups")
async def upcoming(city: str, after_id: int = 0, limit: int = Query(20, ge=1, le=50)):
    async with app.state.pool.acquire() as conn:
        meetups = await conn.fetch(
            "SELECT id, title, venue, starts_at, capacity, seats_taken FROM meetups "
            "WHERE city = $1 AND starts_at > now() AND id > $2 ORDER BY id LIMIT $3",
            city, after_id, limit,
        )
        ids = [m["id"] for m in meetups]
        langs = await conn.fetch(
            "SELECT meetup_id, language_code FROM meetup_languages WHERE meetup_id = ANY($1::bigint[])", ids
        )
    by_meetup: dict[int, list[str]] = {}
    for row in langs:
        by_meetup.setdefault(row["meetup_id"], []).append(row["language_code"])
    return {
        "items": [{**dict(m), "languages": by_meetup.get(m["id"], [])} for m in meetups],
        "next_after_id": ids[-1] if len(ids) == limit else None,
    }
