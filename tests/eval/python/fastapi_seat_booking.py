"""Seat booking endpoints for the events service."""
from datetime import datetime, timedelta, timezone
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel

from .auth import User, current_user
from .db import get_pool

router = APIRouter(prefix="/events/{event_id}", tags=["booking"])

HOLD_MINUTES = 10


class HoldRequest(BaseModel):
    seat_id: int


class HoldResponse(BaseModel):
    seat_id: int
    held_until: datetime


@router.get("/seats")
async def list_seats(
    event_id: int,
    pool: Annotated[asyncpg.Pool, Depends(get_pool)],
    section: str | None = None,
    limit: int = Query(200, le=500),
):
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            """
            SELECT id, section, row_label, number, status
            FROM seats
            WHERE event_id = $1 AND ($2::text IS NULL OR section = $2)
            ORDER BY section, row_label, number
            LIMIT $3
            """,
            event_id, section, limit,
        )
    return [dict(r) for r in rows]


@router.post("/holds", response_model=HoldResponse, status_code=status.HTTP_201_CREATED)
async def hold_seat(
    event_id: int,
    body: HoldRequest,
    user: Annotated[User, Depends(current_user)],
    pool: Annotated[asyncpg.Pool, Depends(get_pool)],
):
    async with pool.acquire() as conn:
        seat = await conn.fetchrow(
            "SELECT id, status FROM seats WHERE event_id = $1 AND id = $2",
            event_id, body.seat_id,
        )
        if seat is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such seat")
        if seat["status"] != "available":
            raise HTTPException(status.HTTP_409_CONFLICT, "seat already taken")

        held_until = datetime.now(timezone.utc) + timedelta(minutes=HOLD_MINUTES)
        await conn.execute(
            "UPDATE seats SET status = 'held', held_by = $1 WHERE event_id = $2 AND id = $3",
            user.id, event_id, body.seat_id,
        )
        await conn.execute(
            "INSERT INTO seat_holds (seat_id, user_id, expires_at) VALUES ($1, $2, $3)",
            body.seat_id, user.id, held_until,
        )
    return HoldResponse(seat_id=body.seat_id, held_until=held_until)


@router.delete("/holds/{seat_id}", status_code=status.HTTP_204_NO_CONTENT)
async def release_hold(
    event_id: int,
    seat_id: int,
    user: Annotated[User, Depends(current_user)],
    pool: Annotated[asyncpg.Pool, Depends(get_pool)],
):
    async with pool.acquire() as conn:
        result = await conn.execute(
            "UPDATE seats SET status = 'available', held_by = NULL "
            "WHERE event_id = $1 AND id = $2 AND held_by = $3",
            event_id, seat_id, user.id,
        )
    if result == "UPDATE 0":
        raise HTTPException(status.HTTP_404_NOT_FOUND, "you hold no such seat")
