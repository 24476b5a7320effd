# arena/api/leaderboard.py
# Ranked-play endpoints for the mobile client. FastAPI + Tortoise ORM (asyncpg), Redis for caching.
# match_results is ~60M rows and grows by ~1.5M/day during a season.
import json
import os

import redis.asyncio as aioredis
from fastapi import APIRouter, Depends, HTTPException, Query
from tortoise import Tortoise
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from arena.auth import current_player
from arena.models import MatchResult, Player, PlayerStats, Season

router = APIRouter(prefix="/v2")
cache = aioredis.from_url(os.environ["REDIS_URL"], socket_timeout=0.5, decode_responses=True)


@router.get("/seasons/current")
async def current_season(player: Player = Depends(current_player)):
    """Season metadata (name, end date, reward tiers) shown on the home screen."""
    key = f"season:current:{player.id}"
    cached = await cache.get(key)
    if cached:
        return json.loads(cached)

    season = await Season.filter(is_active=True).first().values(
        "id", "name", "starts_at", "ends_at", "reward_tiers"
    )
    if season is None:
        raise HTTPException(status_code=404, detail="no active season")
    await cache.set(key, json.dumps(season, default=str), ex=300)
    return season


@router.get("/seasons/{season_id}/leaderboard")
async def season_leaderboard(season_id: int, limit: int = Query(50, ge=1, le=100)):
    conn = Tortoise.get_connection("default")
    rows = await conn.execute_query_dict(
        """
        SELECT p.id, p.handle, p.avatar_url,
               SUM(m.points) AS total_points,
               COUNT(*) AS matches,
               SUM(CASE WHEN m.won THEN 1 ELSE 0 END) AS wins
        FROM match_results m
        JOIN players p ON p.id = m.player_id
        WHERE m.season_id = $1
        GROUP BY p.id, p.handle, p.avatar_url
        ORDER BY total_points DESC
        LIMIT $2
        """,
        [season_id, limit],
    )
    return {"season_id": season_id, "entries": rows}


@router.post("/matches/{match_id}/result")
async def report_result(match_id: int, won: bool, points: int, player: Player = Depends(current_player)):
    # match_results has UNIQUE (match_id, player_id)
    async with in_transaction():
        _, created = await MatchResult.get_or_create(
            match_id=match_id,
            player_id=player.id,
            defaults={"won": won, "points": points, "season_id": player.active_season_id},
        )
        if not created:
            raise HTTPException(status_code=409, detail="result already reported")
        await PlayerStats.filter(player_id=player.id).update(
            matches=F("matches") + 1,
            wins=F("wins") + (1 if won else 0),
            points=F("points") + points,
        )
    return {"ok": True}


@router.get("/players/{player_id}")
async def player_profile(player_id: int):
    stats = await PlayerStats.get_or_none(player_id=player_id).prefetch_related("player")
    if stats is None:
        raise HTTPException(status_code=404)
    return {
        "handle": stats.player.handle,
        "matches": stats.matches,
        "wins": stats.wins,
        "points": stats.points,
    }
