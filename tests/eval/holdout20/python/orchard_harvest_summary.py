"""Harvest summary with stale-while-revalidate caching.

Entries carry a soft expiry. When it passes, exactly one request (the one
that wins SET NX on the rebuild lock) recomputes; everyone else keeps
getting the previous copy until the new one lands.
"""
import json
import os
import time
import uuid
from datetime import date

import redis
from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import text
from sqlalchemy.orm import Session

from .auth import User, current_user
from .db import get_session
from .queries import SUMMARY_SQL  # weekly kg per block/variety, see queries.py

router = APIRouter(prefix="/orchards", tags=["harvest"])
cache = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=1.0, socket_connect_timeout=1.0)

SOFT_TTL_S = 300        # after this a rebuild is triggered
HARD_TTL_S = 6 * 3600   # stale copy kept this long as a fallback
LOCK_TTL_S = 60

RELEASE_LOCK = cache.register_script(
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)


def _compute(session: Session, orchard_id: int, season: int) -> dict:
    start, end = date(season - 1, 7, 1), date(season, 7, 1)
    rows = session.execute(
        text(SUMMARY_SQL), {"orchard_id": orchard_id, "season_start": start, "season_end": end}
    ).mappings().all()
    return {
        "orchard_id": orchard_id,
        "season": season,
        "rows": [dict(r, week=r["week"].isoformat(), kg=float(r["kg"] or 0)) for r in rows],
        "built_at": time.time(),
    }


def _rebuild(session: Session, key: str, lock_key: str, orchard_id: int, season: int) -> dict | None:
    token = uuid.uuid4().hex
    if not cache.set(lock_key, token, nx=True, ex=LOCK_TTL_S):
        return None  # someone else is rebuilding
    try:
        payload = _compute(session, orchard_id, season)
        cache.set(key, json.dumps(payload), ex=HARD_TTL_S)
        return payload
    finally:
        RELEASE_LOCK(keys=[lock_key], args=[token])


@router.get("/{orchard_id}/harvest/summary")
def harvest_summary(
    orchard_id: int,
    season: int,
    user: User = Depends(current_user),
    session: Session = Depends(get_session),
):
    if orchard_id not in user.orchard_ids:
        raise HTTPException(status_code=403, detail="No access to this orchard")

    key = f"harvest:summary:{orchard_id}:{season}"
    lock_key = f"{key}:rebuild"

    raw = cache.get(key)
    if raw is not None:
        payload = json.loads(raw)
        if time.time() - payload["built_at"] < SOFT_TTL_S:
            return payload
        # Stale: try to refresh, but fall back to the old copy if we lose the race.
        fresh = _rebuild(session, key, lock_key, orchard_id, season)
        return fresh or payload

    fresh = _rebuild(session, key, lock_key, orchard_id, season)
    if fresh is None:
        # Cold cache and another request is already building it.
        raise HTTPException(
            status_code=503,
            detail="Summary is being prepared, retry shortly",
            headers={"Retry-After": "2"},
        )
    return fresh
