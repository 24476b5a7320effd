"""Cached leaderboard reads for Pocket Racers.

The global weekly board is expensive (GROUP BY over score_events), so it is rebuilt by
at most one pod at a time; everyone else serves the previous copy while that happens.
"""
import json
import logging
import os
import threading
from functools import lru_cache

import redis
from cachetools import TTLCache
from sqlalchemy import create_engine, text

log = logging.getLogger(__name__)
r = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=1.0)
engine = create_engine(os.environ["PG_URL"], pool_size=10, max_overflow=5, pool_timeout=5)

FRESH_TTL = 60        # seconds a board is considered fresh
STALE_TTL = 3600      # how long the last good copy is kept as a fallback

WEEKLY_SQL = text("""
    SELECT e.player_id, p.display_name, SUM(e.points) AS points
    FROM score_events e JOIN players p USING (player_id)
    WHERE e.season_id = :season AND e.created_at >= now() - interval '7 days'
    GROUP BY e.player_id, p.display_name
    ORDER BY points DESC
    LIMIT 100
""")

_avatar_urls = TTLCache(maxsize=50_000, ttl=900)
_avatar_lock = threading.Lock()


@lru_cache(maxsize=1024)
def season_rules(season_id: int) -> dict:
    # season configs are immutable once a season starts
    with engine.connect() as conn:
        row = conn.execute(text("SELECT rules FROM seasons WHERE id = :id"), {"id": season_id}).one()
    return row.rules


def weekly_board(season_id: int) -> list[dict]:
    key = f"lb:weekly:{season_id}"
    fresh = r.get(key)
    if fresh is not None:
        return json.loads(fresh)

    lock = r.lock(f"{key}:rebuild", timeout=30, blocking_timeout=0)
    if not lock.acquire():
        # another pod is rebuilding; serve the last good copy
        stale = r.get(f"{key}:stale")
        return json.loads(stale) if stale else []
    try:
        with engine.connect() as conn:
            rows = [dict(m) for m in conn.execute(WEEKLY_SQL, {"season": season_id}).mappings()]
        payload = json.dumps(rows)
        pipe = r.pipeline()
        pipe.set(key, payload, ex=FRESH_TTL)
        pipe.set(f"{key}:stale", payload, ex=STALE_TTL)
        pipe.execute()
        return rows
    finally:
        try:
            lock.release()
        except redis.exceptions.LockError:
            log.warning("rebuild lock for %s expired before release", key)


def friends_board(player_id: int) -> list[dict]:
    """Each player's friends list is different, so this one really is per player."""
    key = f"lb:friends:{player_id}"
    hit = r.get(key)
    if hit is not None:
        return json.loads(hit)
    with engine.connect() as conn:
        rows = conn.execute(text("""
            SELECT t.player_id, p.display_name, t.total
            FROM friendships f
            JOIN player_totals t ON t.player_id = f.friend_id
            JOIN players p ON p.player_id = f.friend_id
            WHERE f.player_id = :pid
            ORDER BY t.total DESC
            LIMIT 50
        """), {"pid": player_id}).mappings().all()
    board = [dict(x) for x in rows]
    r.set(key, json.dumps(board), ex=120)
    return board


def avatar_url(player_id: int) -> str:
    with _avatar_lock:
        url = _avatar_urls.get(player_id)
    if url is None:
        with engine.connect() as conn:
            avatar_key = conn.execute(
                text("SELECT avatar_key FROM players WHERE player_id = :pid"), {"pid": player_id}
            ).scalar()
        url = f"https://cdn.pocketracers.example/avatars/{avatar_key or 'default'}.webp"
        with _avatar_lock:
            _avatar_urls[player_id] = url
    return url
