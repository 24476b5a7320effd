"""Volunteer lock-keeper shift rota for the Kennet & Avon flight.

Run as `uvicorn rota.main:app --workers 4` on both VMs behind the trust's
load balancer. Public endpoints are throttled so the rota page survives the
Saturday-morning rush when the summer shifts open.
"""
import time
from collections import defaultdict, deque
from datetime import date

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from rota.db import get_session
from rota.auth import current_volunteer

app = FastAPI(title="Lock-keeper rota")

WINDOW_SECONDS = 60
MAX_REQUESTS_PER_WINDOW = 30
_hits: dict[str, deque] = defaultdict(deque)


def caller_address(request: Request) -> str:
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.client.host


async def throttle(request: Request) -> None:
    key = caller_address(request)
    now = time.monotonic()
    window = _hits[key]
    while window and now - window[0] > WINDOW_SECONDS:
        window.popleft()
    if len(window) >= MAX_REQUESTS_PER_WINDOW:
        raise HTTPException(status_code=429, detail="Too many requests, try again shortly")
    window.append(now)


@app.get("/locks/{lock_no}/shifts", dependencies=[Depends(throttle)])
async def open_shifts(
    lock_no: int,
    start: date,
    limit: int = Query(50, le=100),
    db: AsyncSession = Depends(get_session),
):
    rows = await db.execute(
        text(
            "SELECT id, shift_date, period, volunteers_needed FROM shifts "
            "WHERE lock_no = :lock_no AND shift_date >= :start AND volunteers_needed > 0 "
            "ORDER BY shift_date, period LIMIT :limit"
        ),
        {"lock_no": lock_no, "start": start, "limit": limit},
    )
    return [dict(r._mapping) for r in rows]


@app.post("/shifts/{shift_id}/claim", dependencies=[Depends(throttle)])
async def claim_shift(
    shift_id: int,
    volunteer=Depends(current_volunteer),
    db: AsyncSession = Depends(get_session),
):
    async with db.begin():
        inserted = await db.execute(
            text(
                "INSERT INTO shift_volunteers (shift_id, volunteer_id) VALUES (:sid, :vid) "
                "ON CONFLICT (shift_id, volunteer_id) DO NOTHING RETURNING shift_id"
            ),
            {"sid": shift_id, "vid": volunteer.id},
        )
        if inserted.first() is None:
            raise HTTPException(status_code=409, detail="You already have this shift")

        updated = await db.execute(
            text(
                "UPDATE shifts SET volunteers_needed = volunteers_needed - 1 "
                "WHERE id = :sid AND volunteers_needed > 0"
            ),
            {"sid": shift_id},
        )
        if updated.rowcount == 0:
            # rolls back the shift_volunteers insert as well
            raise HTTPException(status_code=409, detail="Shift is already fully staffed")

    return {"shift_id": shift_id, "status": "claimed"}
