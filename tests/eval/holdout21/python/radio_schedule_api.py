"""Public weekly programme schedule for Harbour FM (website, app and DAB slideshow).

The schedule is identical for every listener, so it is cached under one key
per week. The API runs on 3 replicas; a Redis lock makes sure only one of them
rebuilds a week after it expires, the others wait for the fresh copy.
"""
import json
from datetime import date, datetime, time, timedelta

import redis
from fastapi import APIRouter, Depends, Query
from sqlalchemy import text
from sqlalchemy.orm import Session

from harbourfm.auth import require_staff
from harbourfm.db import get_session

router = APIRouter()
r = redis.Redis(host="redis", port=6379, db=0, socket_timeout=2, socket_connect_timeout=2)

SCHEDULE_TTL = 15 * 60

SCHEDULE_SQL = text(
    "SELECT s.starts_at, s.ends_at, p.title, p.presenter, p.genre, s.is_repeat "
    "FROM schedule_slots s JOIN programmes p ON p.id = s.programme_id "
    "WHERE s.starts_at >= :start AND s.starts_at < :end "
    "ORDER BY s.starts_at"
)


def _week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _key(week_start: date) -> str:
    return f"schedule:week:{week_start.isoformat()}"


def _load_schedule(session: Session, week_start: date) -> list[dict]:
    start = datetime.combine(week_start, time.min)
    rows = session.execute(SCHEDULE_SQL, {"start": start, "end": start + timedelta(days=7)})
    return [
        {
            "starts_at": row.starts_at.isoformat(),
            "ends_at": row.ends_at.isoformat(),
            "title": row.title,
            "presenter": row.presenter,
            "genre": row.genre,
            "repeat": row.is_repeat,
        }
        for row in rows
    ]


@router.get("/schedule")
def weekly_schedule(
    week: date | None = Query(None, description="any day in the wanted week"),
    session: Session = Depends(get_session),
):
    week_start = _week_start(week or date.today())
    key = _key(week_start)

    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)

    with r.lock(f"lock:{key}", timeout=30, blocking_timeout=10):
        # Another replica may have rebuilt it while we were waiting for the lock.
        cached = r.get(key)
        if cached is not None:
            return json.loads(cached)
        slots = _load_schedule(session, week_start)
        r.set(key, json.dumps(slots), ex=SCHEDULE_TTL)
    return slots


@router.post("/schedule/{week}/invalidate", dependencies=[Depends(require_staff)])
def invalidate_week(week: date):
    """Called by the scheduling tool after a presenter swap."""
    removed = r.delete(_key(_week_start(week)))
    return {"invalidated": bool(removed)}
