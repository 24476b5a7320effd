"""Table availability + short holds for the restaurant booking widget."""
import asyncio
import contextlib
import datetime as dt
import logging
import os
from functools import lru_cache

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

log = logging.getLogger(__name__)

engine = create_async_engine(os.environ["DATABASE_URL"], pool_size=10, max_overflow=5, pool_pre_ping=True)

# restaurant_id -> list of (table_id, seats). Loaded once at startup, read-only afterwards.
TABLE_LAYOUTS: dict[int, list[tuple[int, int]]] = {}

HOLD_MINUTES = 10


async def load_layouts() -> None:
    async with engine.connect() as conn:
        rows = await conn.execute(text("SELECT restaurant_id, id, seats FROM dining_tables WHERE active"))
        for restaurant_id, table_id, seats in rows:
            TABLE_LAYOUTS.setdefault(restaurant_id, []).append((table_id, seats))


async def purge_expired_holds() -> None:
    while True:
        try:
            async with engine.begin() as conn:
                res = await conn.execute(text("DELETE FROM table_holds WHERE hold_until < now()"))
                log.debug("purged %s expired holds", res.rowcount)
        except Exception:
            log.exception("hold purge failed; will retry next cycle")
        await asyncio.sleep(60)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI):
    await load_layouts()
    purger = asyncio.create_task(purge_expired_holds())
    yield
    purger.cancel()


app = FastAPI(lifespan=lifespan)


@lru_cache(maxsize=512)
def slot_grid(opens: dt.time, closes: dt.time, step_minutes: int) -> tuple[dt.time, ...]:
    start = dt.datetime.combine(dt.date.min, opens)
    end = dt.datetime.combine(dt.date.min, closes)
    slots = []
    while start + dt.timedelta(minutes=90) <= end:
        slots.append(start.time())
        start += dt.timedelta(minutes=step_minutes)
    return tuple(slots)


class HoldRequest(BaseModel):
    restaurant_id: int
    table_id: int
    slot_start: dt.datetime
    party_size: int
    session_token: str


@app.post("/widget/holds", status_code=201)
async def hold_table(body: HoldRequest):
    tables = dict(TABLE_LAYOUTS.get(body.restaurant_id, []))
    if tables.get(body.table_id, 0) < body.party_size:
        raise HTTPException(400, "Table does not fit this party")
    async with engine.begin() as conn:
        res = await conn.execute(
            text(
                """
                INSERT INTO table_holds (table_id, slot_start, session_token, hold_until)
                VALUES (:table_id, :slot_start, :token, now() + make_interval(mins => :mins))
                ON CONFLICT (table_id, slot_start) DO UPDATE
                    SET session_token = EXCLUDED.session_token, hold_until = EXCLUDED.hold_until
                    WHERE table_holds.hold_until < now()
                """
            ),
            {"table_id": body.table_id, "slot_start": body.slot_start,
             "token": body.session_token, "mins": HOLD_MINUTES},
        )
    if res.rowcount == 0:
        raise HTTPException(409, "Someone else is booking this table right now")
    return {"held_for_minutes": HOLD_MINUTES}
