"""Sheepdog trial scoring API.

Judges' tablets post points deducted per phase (outrun, lift, fetch, drive,
shed, pen); the public scoreboard polls /runs/{id}. The API runs as
`gunicorn app.main:app -k uvicorn.workers.UvicornWorker -w 4` behind the
showground's nginx.
"""
import time
from collections import defaultdict, deque

import asyncpg
from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel, conint

app = FastAPI(title="trial-scoring")

PHASES = ("outrun", "lift", "fetch", "drive", "shed", "pen")
MAX_POINTS = {"outrun": 20, "lift": 10, "fetch": 20, "drive": 30, "shed": 10, "pen": 10}

WINDOW_SECONDS = 60
MAX_WRITES_PER_WINDOW = 30
_recent_writes: dict[str, deque] = defaultdict(deque)


@app.on_event("startup")
async def _startup() -> None:
    app.state.pool = await asyncpg.create_pool(dsn="postgresql://scoring@db/trials", max_size=10)


def client_key(request: Request) -> str:
    fwd = request.headers.get("x-forwarded-for")
    if fwd:
        return fwd.split(",")[0].strip()
    return request.client.host


def throttle(request: Request) -> None:
    key = client_key(request)
    now = time.monotonic()
    q = _recent_writes[key]
    while q and now - q[0] > WINDOW_SECONDS:
        q.popleft()
    if len(q) >= MAX_WRITES_PER_WINDOW:
        raise HTTPException(429, "too many score submissions, slow down")
    q.append(now)


class PhaseScore(BaseModel):
    judge_id: int
    phase: str
    points_lost: conint(ge=0)


@app.post("/runs/{run_id}/scores", dependencies=[Depends(throttle)])
async def submit_score(run_id: int, score: PhaseScore):
    if score.phase not in PHASES:
        raise HTTPException(422, f"unknown phase {score.phase!r}")
    if score.points_lost > MAX_POINTS[score.phase]:
        raise HTTPException(422, "more points lost than the phase is worth")

    async with app.state.pool.acquire() as conn:
        # One row per judge per phase; a re-submit corrects the earlier figure.
        await conn.execute(
            """
            INSERT INTO phase_scores (run_id, judge_id, phase, points_lost, scored_at)
            VALUES ($1, $2, $3, $4, now())
            ON CONFLICT (run_id, judge_id, phase)
            DO UPDATE SET points_lost = EXCLUDED.points_lost, scored_at = now()
            """,
            run_id, score.judge_id, score.phase, score.points_lost,
        )
    return {"ok": True}


@app.get("/runs/{run_id}")
async def run_scoreboard(run_id: int):
    async with app.state.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT phase, judge_id, points_lost FROM phase_scores WHERE run_id = $1 "
            "ORDER BY phase, judge_id LIMIT 60",
            run_id,
        )
    total_lost = sum(r["points_lost"] for r in rows)
    return {
        "run_id": run_id,
        "phases": [dict(r) for r in rows],
        "score": sum(MAX_POINTS.values()) * max(1, len({r["judge_id"] for r in rows})) - total_lost,
    }
