"""Leaderboard service for Pocket Racers (iOS/Android).

~1.2M DAU; the client polls /leaderboard/weekly when the results screen opens.
Runs on 6 pods (uvicorn, 2 workers each).
"""
import os
from datetime import datetime, timedelta, timezone

import asyncpg
from fastapi import Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel, conint

DSN = os.environ["PG_DSN"]
app = FastAPI()


async def get_conn():
    conn = await asyncpg.connect(DSN, timeout=5, command_timeout=5)
    try:
        yield conn
    finally:
        await conn.close()


async def current_player(x_player_token: str = Header(...), conn=Depends(get_conn)) -> int:
    pid = await conn.fetchval(
        "SELECT player_id FROM sessions WHERE token = $1 AND expires_at > now()", x_player_token
    )
    if pid is None:
        raise HTTPException(401)
    return pid


class ScoreIn(BaseModel):
    track_id: conint(gt=0)
    points: conint(ge=0, le=50_000)
    race_id: str


@app.post("/scores", status_code=201)
async def submit_score(body: ScoreIn, player_id: int = Depends(current_player), conn=Depends(get_conn)):
    async with conn.transaction():
        inserted = await conn.fetchval(
            "INSERT INTO score_events (race_id, player_id, track_id, points) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (race_id) DO NOTHING RETURNING 1",
            body.race_id, player_id, body.track_id, body.points,
        )
        if inserted:
            await conn.execute(
                "INSERT INTO player_totals (player_id, total) VALUES ($1, $2) "
                "ON CONFLICT (player_id) DO UPDATE SET total = player_totals.total + EXCLUDED.total",
                player_id, body.points,
            )
    return {"accepted": bool(inserted)}


@app.get("/leaderboard/weekly")
async def weekly(track_id: int | None = None, conn=Depends(get_conn)):
    since = datetime.now(timezone.utc) - timedelta(days=7)
    rows = await conn.fetch(
        """
        SELECT p.player_id, p.display_name, p.country, SUM(e.points) AS points, COUNT(*) AS races
        FROM score_events e
        JOIN players p ON p.player_id = e.player_id
        WHERE e.created_at >= $1 AND ($2::int IS NULL OR e.track_id = $2)
        GROUP BY p.player_id, p.display_name, p.country
        ORDER BY points DESC
        LIMIT 100
        """,
        since, track_id,
    )
    return [dict(r) | {"rank": i + 1} for i, r in enumerate(rows)]


@app.get("/me/total")
async def my_total(player_id: int = Depends(current_player), conn=Depends(get_conn)):
    total = await conn.fetchval("SELECT total FROM player_totals WHERE player_id = $1", player_id)
    return {"player_id": player_id, "total": total or 0}
