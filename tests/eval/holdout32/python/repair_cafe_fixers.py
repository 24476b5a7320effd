"""Repair café fixer sign-ups.

Fixers (electrics, textiles, bikes, "general bodging") sign up for benches at
monthly repair cafés across the town's community centres. On the morning of an
event the coordinator's tablet shows which bench each fixer has claimed.

Deployed as the `repair-api` Deployment (replicas: 3) behind the ingress.
"""
from datetime import datetime, timezone
from typing import Literal

import asyncpg
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel

from .auth import current_fixer
from .db import pool_dependency

app = FastAPI()

Skill = Literal["electrics", "textiles", "bikes", "ceramics", "general"]

# (event_id, bench_no) -> fixer_id, for the live bench board on event day
bench_claims: dict[tuple[int, int], int] = {}


class SignUp(BaseModel):
    event_id: int
    skill: Skill
    brings_own_tools: bool = True


class BenchClaim(BaseModel):
    event_id: int
    bench_no: int


@app.post("/signups", status_code=201)
async def sign_up(body: SignUp, fixer=Depends(current_fixer), db: asyncpg.Pool = Depends(pool_dependency)):
    row = await db.fetchrow(
        """
        INSERT INTO fixer_signups (event_id, fixer_id, skill, brings_own_tools, created_at)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (event_id, fixer_id) DO UPDATE SET skill = EXCLUDED.skill
        RETURNING id
        """,
        body.event_id, fixer.id, body.skill, body.brings_own_tools, datetime.now(timezone.utc),
    )
    return {"id": row["id"]}


@app.get("/signups")
async def all_signups(db: asyncpg.Pool = Depends(pool_dependency)):
    """Feeds the coordinators' spreadsheet export and the 'fixer of the year' tally."""
    rows = await db.fetch(
        "SELECT s.id, s.event_id, f.display_name, s.skill, s.created_at "
        "FROM fixer_signups s JOIN fixers f ON f.id = s.fixer_id ORDER BY s.created_at DESC"
    )
    return [dict(r) for r in rows]


@app.post("/benches/claim")
async def claim_bench(body: BenchClaim, fixer=Depends(current_fixer)):
    key = (body.event_id, body.bench_no)
    holder = bench_claims.get(key)
    if holder is not None and holder != fixer.id:
        raise HTTPException(409, f"Bench {body.bench_no} already claimed")
    bench_claims[key] = fixer.id
    return {"event_id": body.event_id, "bench_no": body.bench_no, "fixer_id": fixer.id}


@app.get("/events/{event_id}/benches")
async def bench_board(event_id: int):
    return {
        str(bench): fixer_id
        for (ev, bench), fixer_id in bench_claims.items()
        if ev == event_id
    }
