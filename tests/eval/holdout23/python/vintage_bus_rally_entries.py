"""Entries API for vintage bus rallies.

Rally organisers (clubs) open entry lists; owners enter a vehicle. A bus can
only be entered once per rally: enforced by
    UNIQUE (rally_id, registration)   -- uq_rally_entries_rally_reg
"""
from contextlib import asynccontextmanager

import httpx
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from .auth import Organiser, current_organiser

engine = create_async_engine("postgresql+asyncpg://rally@db/rallies", pool_size=10, max_overflow=5)


@asynccontextmanager
async def lifespan(app: FastAPI):
    # One pooled client for the vehicle-history lookups, with explicit timeouts.
    app.state.vehicle_api = httpx.AsyncClient(
        base_url="https://vehicle-history.example.org/v1",
        timeout=httpx.Timeout(5.0, connect=2.0),
        limits=httpx.Limits(max_connections=20),
    )
    yield
    await app.state.vehicle_api.aclose()
    await engine.dispose()


app = FastAPI(lifespan=lifespan)


async def get_conn():
    async with engine.begin() as conn:
        yield conn


class EntryIn(BaseModel):
    registration: str = Field(min_length=2, max_length=10)
    operator_livery: str = Field(max_length=80)
    owner_email: str


@app.post("/clubs/{club_id}/rallies/{rally_id}/entries", status_code=201)
async def enter_bus(club_id: int, rally_id: int, entry: EntryIn, request: Request,
                    conn: AsyncConnection = Depends(get_conn)):
    reg = entry.registration.upper().replace(" ", "")
    resp = await request.app.state.vehicle_api.get(f"/vehicles/{reg}")
    if resp.status_code == 404:
        raise HTTPException(422, "registration not found")
    resp.raise_for_status()
    first_registered = resp.json().get("first_registered")

    row = (await conn.execute(text("""
        INSERT INTO rally_entries (club_id, rally_id, registration, livery, owner_email, first_registered)
        SELECT :club_id, r.id, :reg, :livery, :email, :first_reg
        FROM rallies r
        WHERE r.id = :rally_id AND r.club_id = :club_id AND r.entries_open
        ON CONFLICT ON CONSTRAINT uq_rally_entries_rally_reg DO NOTHING
        RETURNING id
    """), {"club_id": club_id, "rally_id": rally_id, "reg": reg, "livery": entry.operator_livery,
           "email": entry.owner_email, "first_reg": first_registered})).first()
    if row is None:
        raise HTTPException(409, "already entered, or entries are closed")
    return {"entry_id": row.id, "registration": reg}


@app.get("/clubs/{club_id}/rallies/{rally_id}/entries")
async def list_entries(club_id: int, rally_id: int,
                       limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0),
                       organiser: Organiser = Depends(current_organiser),
                       conn: AsyncConnection = Depends(get_conn)):
    if organiser.club_id != club_id:
        raise HTTPException(403)
    rows = (await conn.execute(text("""
        SELECT id, registration, livery, first_registered, created_at
        FROM rally_entries
        WHERE club_id = :club_id AND rally_id = :rally_id
        ORDER BY first_registered, id
        LIMIT :limit OFFSET :offset
    """), {"club_id": club_id, "rally_id": rally_id, "limit": limit, "offset": offset})).mappings().all()
    return {"entries": [dict(r) for r in rows], "limit": limit, "offset": offset}
