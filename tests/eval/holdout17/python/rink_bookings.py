# Ice-time booking service for Northside Arena (sheets A/B) and the Lakeview rink.
# Deploy: uvicorn rink_bookings:app --workers 4 --proxy-headers   (behind nginx)
import json
from datetime import datetime, timedelta

import asyncpg
import redis.asyncio as aioredis
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, Field

app = FastAPI(title="rink-bookings")
cache = aioredis.from_url("redis://cache:6379/2", decode_responses=True)
pool: asyncpg.Pool | None = None

HOLD_MINUTES = 15
WEEK_TTL = 60


@app.on_event("startup")
async def open_pool() -> None:
    global pool
    pool = await asyncpg.create_pool(
        dsn="postgresql://rink_app@pg-primary/rinks",
        min_size=2, max_size=10, command_timeout=10,
    )


async def get_conn():
    async with pool.acquire() as conn:
        yield conn


class IceTimeRequest(BaseModel):
    sheet_id: int
    team_id: int
    starts_at: datetime
    minutes: int = Field(60, ge=30, le=180)


@app.get("/sheets/{sheet_id}/week")
async def week_view(sheet_id: int, conn=Depends(get_conn)):
    # the page every hockey parent refreshes on Saturday morning
    key = f"sheet:{sheet_id}:week"
    hit = await cache.get(key)
    if hit is not None:
        return json.loads(hit)

    rows = await conn.fetch(
        """
        SELECT s.id, s.starts_at, s.ends_at, s.kind,
               t.name AS team, c.full_name AS coach, count(r.id) AS skaters
          FROM ice_sessions s
          LEFT JOIN teams t ON t.id = s.team_id
          LEFT JOIN coaches c ON c.id = t.coach_id
          LEFT JOIN registrations r ON r.session_id = s.id
         WHERE s.sheet_id = $1
           AND s.starts_at >= now() AND s.starts_at < now() + interval '7 days'
         GROUP BY s.id, t.name, c.full_name
         ORDER BY s.starts_at
        """,
        sheet_id,
    )
    week = [{**dict(r), "starts_at": r["starts_at"].isoformat(), "ends_at": r["ends_at"].isoformat()} for r in rows]
    await cache.set(key, json.dumps(week), ex=WEEK_TTL)
    return week


@app.post("/ice-time/holds", status_code=201)
async def hold_ice_time(req: IceTimeRequest, conn=Depends(get_conn)):
    """Put a 15 minute hold on a slot while the team manager pays."""
    ends_at = req.starts_at + timedelta(minutes=req.minutes)

    overlap = await conn.fetchval(
        """
        SELECT EXISTS (
            SELECT 1 FROM ice_sessions
             WHERE sheet_id = $1 AND starts_at < $3 AND ends_at > $2
            UNION ALL
            SELECT 1 FROM ice_holds
             WHERE sheet_id = $1 AND starts_at < $3 AND ends_at > $2
               AND hold_until > now() AND confirmed_at IS NULL
        )
        """,
        req.sheet_id, req.starts_at, ends_at,
    )
    if overlap:
        raise HTTPException(status_code=409, detail="That ice time is taken")

    hold_id = await conn.fetchval(
        """
        INSERT INTO ice_holds (sheet_id, team_id, starts_at, ends_at, hold_until)
        VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5))
        RETURNING id
        """,
        req.sheet_id, req.team_id, req.starts_at, ends_at, HOLD_MINUTES,
    )
    return {"hold_id": hold_id, "expires_in_minutes": HOLD_MINUTES}


@app.post("/ice-time/holds/{hold_id}/confirm")
async def confirm_hold(hold_id: int, conn=Depends(get_conn)):
    async with conn.transaction():
        hold = await conn.fetchrow(
            """
            UPDATE ice_holds SET confirmed_at = now()
             WHERE id = $1 AND confirmed_at IS NULL AND hold_until > now()
            RETURNING sheet_id, team_id, starts_at, ends_at
            """,
            hold_id,
        )
        if hold is None:
            raise HTTPException(status_code=410, detail="Hold expired or already confirmed")
        session_id = await conn.fetchval(
            "INSERT INTO ice_sessions (sheet_id, team_id, starts_at, ends_at, kind) "
            "VALUES ($1, $2, $3, $4, 'rental') RETURNING id",
            hold["sheet_id"], hold["team_id"], hold["starts_at"], hold["ends_at"],
        )
    await cache.delete(f"sheet:{hold['sheet_id']}:week")
    return {"session_id": session_id}
