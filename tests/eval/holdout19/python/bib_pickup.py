# bib_pickup/app.py
# Marathon expo bib pickup: runner self-lookup kiosks + volunteer hand-out desks.
# Deployed on ECS Fargate: 3 tasks behind the ALB (infra/bib-pickup.tf), uvicorn, 1 worker each.
import os
import time
from collections import defaultdict, deque

import asyncpg
from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel

app = FastAPI(title="bib-pickup")

# hand-out desks at the expo hall have fixed IPs on the venue network
VOLUNTEER_DESK_IPS = {"10.40.1.21", "10.40.1.22", "10.40.1.23", "10.40.1.24"}
LOOKUPS_PER_MINUTE = 20

# ip -> timestamps of recent lookups (stops people scraping the runner list)
_recent_lookups: dict[str, deque] = defaultdict(deque)


class PickupIn(BaseModel):
    volunteer_code: str
    shirt_size_given: str | None = None


@app.on_event("startup")
async def startup() -> None:
    app.state.pool = await asyncpg.create_pool(
        dsn=os.environ["DATABASE_URL"], min_size=2, max_size=10, command_timeout=5
    )


def client_ip(request: Request) -> str:
    fwd = request.headers.get("x-forwarded-for")
    if fwd:
        return fwd.split(",")[0].strip()
    return request.client.host


def too_many_lookups(ip: str) -> bool:
    now = time.monotonic()
    q = _recent_lookups[ip]
    while q and now - q[0] > 60:
        q.popleft()
    if len(q) >= LOOKUPS_PER_MINUTE:
        return True
    q.append(now)
    return False


def require_volunteer_desk(request: Request) -> None:
    if client_ip(request) not in VOLUNTEER_DESK_IPS:
        raise HTTPException(403, "volunteer desks only")


@app.get("/lookup")
async def lookup(last_name: str, dob: str, request: Request):
    if too_many_lookups(client_ip(request)):
        raise HTTPException(429, "Too many lookups, please ask a volunteer")
    async with app.state.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT bib_number, first_name, wave, corral, picked_up_at FROM runners "
            "WHERE lower(last_name) = lower($1) AND dob = $2::date LIMIT 5",
            last_name, dob,
        )
    return [
        {"bib": r["bib_number"], "first_name": r["first_name"], "wave": r["wave"],
         "corral": r["corral"], "picked_up": r["picked_up_at"] is not None}
        for r in rows
    ]


@app.post("/bibs/{bib_number}/pickup", dependencies=[Depends(require_volunteer_desk)])
async def mark_picked_up(bib_number: int, body: PickupIn):
    async with app.state.pool.acquire() as conn:
        row = await conn.fetchrow(
            "UPDATE runners SET picked_up_at = now(), picked_up_by = $2, shirt_given = $3 "
            "WHERE bib_number = $1 AND picked_up_at IS NULL "
            "RETURNING bib_number, first_name, last_name, shirt_size",
            bib_number, body.volunteer_code, body.shirt_size_given,
        )
        if row is None:
            prev = await conn.fetchrow(
                "SELECT picked_up_at, picked_up_by FROM runners WHERE bib_number = $1", bib_number
            )
            if prev is None:
                raise HTTPException(404, "unknown bib")
            raise HTTPException(409, f"already picked up at {prev['picked_up_at']:%H:%M} by {prev['picked_up_by']}")
    return dict(row)
