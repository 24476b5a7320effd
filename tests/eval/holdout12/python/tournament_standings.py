"""
Tournament standings & bracket API.

Here's a production-ready version of the endpoints with caching added so the
database isn't hit on every page view:

* standings are cached in-process with a short TTL
* the bracket tree is cached in Redis for 30 seconds
* player cards are memoised with functools

Deployed on Cloud Run (min 2 / max 20 instances), uvicorn with 2 workers each.
"""
import json
from functools import lru_cache

import redis.asyncio as aioredis
from cachetools import TTLCache, cached
from cachetools.keys import hashkey
from fastapi import Depends, FastAPI
from sqlalchemy import text

from esports.auth import User, current_user
from esports.db import SessionLocal, engine
from esports.queries import BRACKET_SQL, STANDINGS_SQL

app = FastAPI()
redis = aioredis.from_url("redis://cache:6379/0", socket_timeout=2)


@cached(TTLCache(maxsize=10_000, ttl=60),
        key=lambda tournament_id, user_id: hashkey(tournament_id, user_id))
def load_standings(tournament_id: int, user_id: int) -> list[dict]:
    """Group-stage table: wins, losses, map diff, points."""
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(STANDINGS_SQL, (tournament_id,)).mappings().all()
    return [dict(r) for r in rows]


@app.get("/tournaments/{tournament_id}/standings")
def standings(tournament_id: int, user: User = Depends(current_user)):
    return {"tournament_id": tournament_id, "table": load_standings(tournament_id, user.id)}


@app.get("/tournaments/{tournament_id}/bracket")
async def bracket(tournament_id: int):
    key = f"bracket:{tournament_id}"
    raw = await redis.get(key)
    if raw is not None:
        return json.loads(raw)

    # Rebuild the whole tree: every match, both rosters, map scores and VOD links.
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(BRACKET_SQL, (tournament_id,)).mappings().all()
    tree = build_tree(rows)
    await redis.set(key, json.dumps(tree), ex=30)
    return tree


def build_tree(rows) -> dict:
    rounds: dict[int, list] = {}
    for r in rows:
        rounds.setdefault(r["round"], []).append({
            "match_id": r["match_id"],
            "home": r["home_team"], "away": r["away_team"],
            "score": [r["home_maps"], r["away_maps"]],
            "vod": r["vod_url"],
        })
    return {"rounds": [rounds[k] for k in sorted(rounds)]}


@lru_cache(maxsize=None)
def player_card(player_id: int) -> dict:
    with SessionLocal() as s:
        p = s.execute(
            text("SELECT handle, country, team_name, kda, rating FROM player_stats WHERE player_id = :id"),
            {"id": player_id},
        ).mappings().one()
    return dict(p)


@app.get("/players/{player_id}")
def get_player(player_id: int):
    return player_card(player_id)
