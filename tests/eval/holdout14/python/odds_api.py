import json
import os

import asyncpg
from fastapi import FastAPI, HTTPException
from redis.asyncio import Redis

from pricing import price_markets  # margin model, ~200ms per match

app = FastAPI()

DB_DSN = os.environ["DATABASE_URL"]
redis = Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)

ODDS_TTL = 3  # seconds; odds must track the live handle closely


@app.get("/matches/{match_id}/odds")
async def match_odds(match_id: int):
    # every viewer of a live match page polls this once a second
    cached = await redis.get(f"odds:{match_id}")
    if cached:
        return json.loads(cached)

    conn = await asyncpg.connect(DB_DSN, timeout=5)
    try:
        match = await conn.fetchrow(
            "SELECT id, status, team_a, team_b, best_of FROM matches WHERE id = $1",
            match_id,
        )
        if match is None:
            raise HTTPException(404, "no such match")
        handle = await conn.fetch(
            """
            SELECT market, selection, SUM(stake_cents) AS handle, COUNT(*) AS tickets
              FROM bets
             WHERE match_id = $1 AND status = 'open'
             GROUP BY market, selection
            """,
            match_id,
        )
        map_state = await conn.fetch(
            "SELECT map_no, score_a, score_b FROM match_maps WHERE match_id = $1 ORDER BY map_no",
            match_id,
        )
    finally:
        await conn.close()

    odds = {
        "match_id": match_id,
        "status": match["status"],
        "markets": price_markets(dict(match), [dict(r) for r in handle], [dict(m) for m in map_state]),
    }
    await redis.set(f"odds:{match_id}", json.dumps(odds), ex=ODDS_TTL)
    return odds


@app.get("/matches/live")
async def live_matches():
    ids = await redis.smembers("matches:live")
    return sorted(int(i) for i in ids)
