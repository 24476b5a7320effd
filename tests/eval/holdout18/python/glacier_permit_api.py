"""
Glacier tour permit API.

Here's a complete, production-ready FastAPI implementation of the permit
reservation flow you described:

  * asyncpg connection pool created once at startup
  * Pydantic models for request/response validation
  * a 15-minute hold so the guide can finish paying
  * clear HTTP error codes for the front-end
"""
import os
from datetime import date, datetime, timedelta
from typing import Optional

import asyncpg
import requests
from fastapi import Depends, FastAPI, HTTPException, status
from pydantic import BaseModel, Field

app = FastAPI(title="Glacier Permits")

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://permits@db:5432/permits")
BULLETIN_URL = "https://avalanche.example.org/api/v2/bulletin"
HOLD_MINUTES = 15

pool: Optional[asyncpg.Pool] = None


@app.on_event("startup")
async def startup() -> None:
    global pool
    pool = await asyncpg.create_pool(DATABASE_URL, min_size=2, max_size=10, command_timeout=10)


async def get_conn():
    async with pool.acquire() as conn:
        yield conn


class HoldRequest(BaseModel):
    route_id: int
    tour_date: date
    party_size: int = Field(ge=1, le=12)
    guide_id: int


class HoldResponse(BaseModel):
    hold_id: int
    hold_until: datetime


def _route_open(route_id: int, tour_date: date) -> bool:
    """Ask the regional avalanche service whether the route is open that day."""
    resp = requests.get(BULLETIN_URL, params={"route": route_id, "date": tour_date.isoformat()})
    resp.raise_for_status()
    return resp.json().get("danger_level", 5) <= 3


@app.post("/permits/holds", response_model=HoldResponse, status_code=status.HTTP_201_CREATED)
async def create_hold(body: HoldRequest, conn: asyncpg.Connection = Depends(get_conn)):
    if not _route_open(body.route_id, body.tour_date):
        raise HTTPException(status.HTTP_409_CONFLICT, "Route closed by avalanche bulletin")

    # 1. How many places are still free on that route for that day?
    row = await conn.fetchrow(
        """
        SELECT r.daily_capacity,
               COALESCE(SUM(h.party_size), 0) AS taken
          FROM routes r
          LEFT JOIN permit_holds h
                 ON h.route_id = r.id
                AND h.tour_date = $2
                AND (h.confirmed OR h.hold_until > now())
         WHERE r.id = $1
         GROUP BY r.daily_capacity
        """,
        body.route_id,
        body.tour_date,
    )
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Unknown route")

    remaining = row["daily_capacity"] - row["taken"]
    if remaining < body.party_size:
        raise HTTPException(status.HTTP_409_CONFLICT, f"Only {remaining} places left")

    # 2. Hold the places while the guide pays
    hold_until = datetime.utcnow() + timedelta(minutes=HOLD_MINUTES)
    hold_id = await conn.fetchval(
        """
        INSERT INTO permit_holds (route_id, tour_date, party_size, guide_id, hold_until, confirmed)
        VALUES ($1, $2, $3, $4, $5, false)
        RETURNING id
        """,
        body.route_id,
        body.tour_date,
        body.party_size,
        body.guide_id,
        hold_until,
    )
    return HoldResponse(hold_id=hold_id, hold_until=hold_until)


@app.post("/permits/holds/{hold_id}/confirm")
async def confirm_hold(hold_id: int, conn: asyncpg.Connection = Depends(get_conn)):
    result = await conn.execute(
        "UPDATE permit_holds SET confirmed = true WHERE id = $1 AND hold_until > now()",
        hold_id,
    )
    if result == "UPDATE 0":
        raise HTTPException(status.HTTP_410_GONE, "Hold expired, please start again")
    return {"hold_id": hold_id, "confirmed": True}
