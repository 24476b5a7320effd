"""Programme guide for the community radio website and DAB text feed.

The guide joins the schedule with presenter bios and the last few playlists,
which is a few hundred milliseconds of database work. It is the same for every
listener, so it is cached once in Redis and rebuilt by a single worker when it
expires; everyone else keeps getting the previous copy meanwhile.
"""
import json
import logging
import threading
import time
import uuid

import redis
from cachetools import TTLCache
from fastapi import APIRouter, Depends
from sqlalchemy import text
from sqlalchemy.orm import Session

from .db import get_session

log = logging.getLogger(__name__)
router = APIRouter()

rds = redis.Redis(host="redis", port=6379, socket_timeout=2, socket_connect_timeout=2)

GUIDE_KEY = "radio:guide:v3"
STALE_KEY = "radio:guide:v3:stale"
LOCK_KEY = "radio:guide:v3:rebuild"
FRESH_SECONDS = 300
LOCK_SECONDS = 30

# Tiny per-process layer so a burst of requests doesn't even hit Redis.
_local = TTLCache(maxsize=4, ttl=10)
_local_lock = threading.Lock()

RELEASE_LOCK = rds.register_script(
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)


def _build_guide(db: Session) -> dict:
    shows = db.execute(text(
        "SELECT s.id, s.title, s.weekday, s.start_time, p.name AS presenter, p.bio "
        "FROM shows s JOIN presenters p ON p.id = s.presenter_id "
        "WHERE s.active ORDER BY s.weekday, s.start_time LIMIT 300"
    )).mappings().all()
    recent = db.execute(text(
        "SELECT DISTINCT ON (e.show_id) e.show_id, e.aired_on, e.playlist_url "
        "FROM episodes e WHERE e.aired_on > current_date - 14 "
        "ORDER BY e.show_id, e.aired_on DESC"
    )).mappings().all()
    last_by_show = {r["show_id"]: r for r in recent}
    return {
        "built_at": int(time.time()),
        "shows": [
            {**{k: str(v) for k, v in s.items()}, "last_playlist": (last_by_show.get(s["id"]) or {}).get("playlist_url")}
            for s in shows
        ],
    }


def get_guide(db: Session) -> dict:
    with _local_lock:
        hit = _local.get("guide")
    if hit is not None:
        return hit
    raw = rds.get(GUIDE_KEY)
    if raw is None:
        token = uuid.uuid4().hex
        if rds.set(LOCK_KEY, token, nx=True, ex=LOCK_SECONDS):
            try:
                guide = _build_guide(db)
                payload = json.dumps(guide)
                rds.set(GUIDE_KEY, payload, ex=FRESH_SECONDS)
                rds.set(STALE_KEY, payload, ex=FRESH_SECONDS * 12)
                raw = payload
            finally:
                RELEASE_LOCK(keys=[LOCK_KEY], args=[token])
        else:
            raw = rds.get(STALE_KEY)
            if raw is None:
                # First build after a flush: give the lock holder a moment.
                time.sleep(0.5)
                raw = rds.get(GUIDE_KEY)
            if raw is None:
                log.error("programme guide rebuild in progress and no stale copy available")
                raise RuntimeError("programme guide temporarily unavailable")
    guide = json.loads(raw)
    with _local_lock:
        _local["guide"] = guide
    return guide


@router.get("/guide")
def programme_guide(db: Session = Depends(get_session)):
    return get_guide(db)
