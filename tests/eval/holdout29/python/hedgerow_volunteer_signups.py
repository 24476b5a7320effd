"""Volunteer sign-ups for hedgerow planting days.

Each local hedgerow group (tenant) schedules planting days with a fixed number
of places. Runs on 3 pods; rate limiting lives in Redis so it is shared.
"""
from fastapi import APIRouter, Depends, HTTPException, Query
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from .auth import Volunteer, current_volunteer
from .db import get_conn
from .redis_pool import get_redis

router = APIRouter(prefix="/planting-days")

SIGNUP_LIMIT = 10          # sign-up attempts
SIGNUP_WINDOW_SECONDS = 60  # per volunteer per minute


async def _rate_limit(redis: Redis, volunteer_id: int) -> None:
    key = f"hedgerow:signup-rl:{volunteer_id}"
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, SIGNUP_WINDOW_SECONDS, nx=True)
        count, _ = await pipe.execute()
    if count > SIGNUP_LIMIT:
        raise HTTPException(status_code=429, detail="too many sign-up attempts, try again shortly")


@router.get("")
async def upcoming_days(volunteer: Volunteer = Depends(current_volunteer),
                        conn: AsyncConnection = Depends(get_conn),
                        after_id: int = Query(0, ge=0),
                        limit: int = Query(20, ge=1, le=50)):
    result = await conn.execute(text(
        "SELECT id, site_name, planting_date, places_left, species_mix "
        "FROM planting_days "
        "WHERE group_id = :group_id AND planting_date >= current_date AND id > :after_id "
        "ORDER BY id LIMIT :limit"
    ), {"group_id": volunteer.group_id, "after_id": after_id, "limit": limit})
    days = [dict(r) for r in result.mappings()]
    return {"days": days, "next_after_id": days[-1]["id"] if len(days) == limit else None}


@router.post("/{day_id}/signups", status_code=201)
async def sign_up(day_id: int,
                  volunteer: Volunteer = Depends(current_volunteer),
                  conn: AsyncConnection = Depends(get_conn),
                  redis: Redis = Depends(get_redis)):
    await _rate_limit(redis, volunteer.id)

    async with conn.begin():
        # unique (day_id, volunteer_id) makes a repeated click a no-op
        inserted = (await conn.execute(text(
            "INSERT INTO planting_signups (day_id, volunteer_id, group_id) "
            "SELECT d.id, :volunteer_id, d.group_id FROM planting_days d "
            "WHERE d.id = :day_id AND d.group_id = :group_id "
            "ON CONFLICT (day_id, volunteer_id) DO NOTHING RETURNING id"
        ), {"day_id": day_id, "volunteer_id": volunteer.id,
            "group_id": volunteer.group_id})).scalar_one_or_none()
        if inserted is None:
            raise HTTPException(status_code=409, detail="already signed up or no such day")

        taken = await conn.execute(text(
            "UPDATE planting_days SET places_left = places_left - 1 "
            "WHERE id = :day_id AND group_id = :group_id AND places_left > 0"
        ), {"day_id": day_id, "group_id": volunteer.group_id})
        if taken.rowcount != 1:
            # raising inside begin() rolls back the sign-up row too
            raise HTTPException(status_code=409, detail="this planting day is full")

    return {"signup_id": inserted, "day_id": day_id}
