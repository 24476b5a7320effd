"""Skate hire stock per size for the ice rink's public sessions."""
import logging
import os
from contextlib import asynccontextmanager

import httpx
from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

log = logging.getLogger("skate-stock")

engine = create_async_engine(
    os.environ["RINK_DB_URL"], pool_size=10, pool_timeout=5, connect_args={"command_timeout": 5}
)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def lifespan(app: FastAPI):
    # One client for the whole process: pooled connections, explicit timeouts
    app.state.sharpening = httpx.AsyncClient(
        base_url=os.environ["SHARPENING_SERVICE_URL"],
        timeout=httpx.Timeout(5.0, connect=2.0),
        limits=httpx.Limits(max_connections=20),
    )
    yield
    await app.state.sharpening.aclose()
    await engine.dispose()


app = FastAPI(lifespan=lifespan)


async def get_db():
    async with SessionLocal() as session:
        yield session


class Checkout(BaseModel):
    size: str = Field(max_length=4)
    pairs: int = Field(ge=1, le=6)


@app.post("/sessions/{session_id}/skates/checkout")
async def checkout(session_id: int, body: Checkout, db: AsyncSession = Depends(get_db)):
    # Decrement only if enough pairs remain; the WHERE clause makes it atomic
    row = (
        await db.execute(
            text(
                "UPDATE skate_stock SET available = available - :n "
                "WHERE rink_session_id = :sid AND size = :size AND available >= :n "
                "RETURNING available"
            ),
            {"n": body.pairs, "sid": session_id, "size": body.size},
        )
    ).first()
    if row is None:
        await db.rollback()
        raise HTTPException(409, f"not enough size {body.size} skates left")
    await db.commit()
    return {"size": body.size, "remaining": row.available}


@app.post("/sessions/{session_id}/skates/return")
async def return_skates(session_id: int, body: Checkout, request: Request, db: AsyncSession = Depends(get_db)):
    await db.execute(
        text(
            "UPDATE skate_stock SET available = available + :n, uses_since_sharpen = uses_since_sharpen + :n "
            "WHERE rink_session_id = :sid AND size = :size"
        ),
        {"n": body.pairs, "sid": session_id, "size": body.size},
    )
    await db.commit()

    try:
        resp = await request.app.state.sharpening.post(
            "/queue", json={"size": body.size, "pairs": body.pairs, "session": session_id}
        )
        resp.raise_for_status()
    except httpx.HTTPError:
        log.exception("could not queue size %s for sharpening", body.size)
        raise HTTPException(502, "skates returned, but sharpening queue is unavailable")
    return {"returned": body.pairs}
