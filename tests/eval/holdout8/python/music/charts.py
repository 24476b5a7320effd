"""Charts & browse endpoints. Track metadata is memoised in-process (catalogue
rarely changes); charts and the genre breakdown are cached in Redis."""
import json
from functools import lru_cache

import redis
from fastapi import APIRouter, Depends
from sqlalchemy import text

from .db import engine
from .deps import current_user

router = APIRouter()
r = redis.Redis.from_url("redis://cache:6379/0", socket_timeout=2)

CHART_TTL = 600
BREAKDOWN_TTL = 300


@lru_cache(maxsize=None)
def track_metadata(track_id: int) -> dict:
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT id, title, artist_name, duration_ms, cover_url FROM tracks WHERE id = :id"),
            {"id": track_id},
        ).mappings().one()
    return dict(row)


def _compute_top50(region: str) -> list[int]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                """
                SELECT track_id
                FROM plays
                WHERE region = :region AND played_at > now() - interval '7 days'
                GROUP BY track_id
                ORDER BY count(*) DESC
                LIMIT 50
                """
            ),
            {"region": region},
        ).all()
    return [r_.track_id for r_ in rows]


@router.get("/charts/top50")
def top50(user=Depends(current_user)):
    key = f"charts:top50:{user.region}:{user.id}"
    cached = r.get(key)
    if cached:
        ids = json.loads(cached)
    else:
        ids = _compute_top50(user.region)
        r.set(key, json.dumps(ids), ex=CHART_TTL)
    return _tracks_by_ids(ids)


def _tracks_by_ids(ids: list[int]) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, title, artist_name, duration_ms, cover_url FROM tracks WHERE id = ANY(:ids)"),
            {"ids": ids},
        ).mappings().all()
    by_id = {row["id"]: dict(row) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


@router.get("/tracks/{track_id}")
def get_track(track_id: int):
    return track_metadata(track_id)


@router.get("/browse/genres")
def genre_breakdown():
    cached = r.get("browse:genre_breakdown")
    if cached is not None:
        return json.loads(cached)

    with engine.connect() as conn:
        rows = conn.execute(
            text(
                """
                SELECT g.name, count(*) AS plays, count(DISTINCT p.user_id) AS listeners
                FROM plays p
                JOIN tracks t ON t.id = p.track_id
                JOIN genres g ON g.id = t.genre_id
                WHERE p.played_at > now() - interval '30 days'
                GROUP BY g.name
                ORDER BY plays DESC
                """
            )
        ).mappings().all()
    data = [dict(x) for x in rows]
    r.set("browse:genre_breakdown", json.dumps(data), ex=BREAKDOWN_TTL)
    return data


@router.get("/me/recently-played")
def recently_played(user=Depends(current_user)):
    # genuinely per-user, short TTL is fine
    key = f"recent:{user.id}"
    cached = r.get(key)
    if cached:
        return json.loads(cached)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT t.id, t.title, t.artist_name, t.cover_url FROM plays p "
                "JOIN tracks t ON t.id = p.track_id "
                "WHERE p.user_id = :u ORDER BY p.played_at DESC LIMIT 20"
            ),
            {"u": user.id},
        ).mappings().all()
    data = [dict(x) for x in rows]
    r.set(key, json.dumps(data), ex=60)
    return data
