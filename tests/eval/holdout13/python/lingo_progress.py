"""Learner progress + weekly league summary (Lingofox API, FastAPI, 6 pods)."""
import json
import logging
import os

import redis
from fastapi import Depends, FastAPI
from sqlalchemy import text

from .auth import User, current_user
from .db import engine

log = logging.getLogger(__name__)
app = FastAPI()
rds = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=1)

SUMMARY_KEY = "league:summary:v3"
SUMMARY_STALE_KEY = "league:summary:v3:stale"
SUMMARY_LOCK = "league:summary:v3:lock"


@app.get("/me/progress")
def my_progress(user: User = Depends(current_user)):
    # progress really is per learner, so the key is per learner
    key = f"progress:v2:{user.id}"
    raw = rds.get(key)
    if raw is not None:
        return json.loads(raw)
    with engine.connect() as conn:
        rows = conn.execute(text("""
            SELECT course_id, count(*) AS lessons_done, max(completed_at) AS last_done
            FROM lesson_completions
            WHERE user_id = :uid
            GROUP BY course_id
        """), {"uid": user.id}).mappings().all()
    data = {"courses": [dict(r) for r in rows]}
    rds.setex(key, 120, json.dumps(data, default=str))
    return data


@app.post("/me/lessons/{lesson_id}/complete")
def complete_lesson(lesson_id: int, user: User = Depends(current_user)):
    with engine.begin() as conn:
        gained = conn.execute(text("""
            INSERT INTO lesson_completions (user_id, lesson_id, xp)
            SELECT :u, id, xp FROM lessons WHERE id = :l
            ON CONFLICT (user_id, lesson_id) DO NOTHING
            RETURNING xp
        """), {"u": user.id, "l": lesson_id}).scalar()
        if gained is None:
            return {"ok": True, "xp_gained": 0}  # already completed (or no such lesson)
        conn.execute(text("UPDATE users SET xp = xp + :xp WHERE id = :u"), {"u": user.id, "xp": gained})
    rds.delete(f"progress:v2:{user.id}")
    rds.zincrby(f"league:{user.league_id}:week", gained, user.id)
    return {"ok": True, "xp_gained": gained}


def _compute_summary() -> dict:
    with engine.connect() as conn:
        rows = conn.execute(text("""
            SELECT l.id, l.name, count(DISTINCT c.user_id) AS active, sum(c.xp) AS xp
            FROM leagues l JOIN users u ON u.league_id = l.id
            JOIN lesson_completions c ON c.user_id = u.id AND c.completed_at > date_trunc('week', now())
            GROUP BY l.id, l.name
        """)).mappings().all()
    return {"leagues": [dict(r) for r in rows]}


@app.get("/leagues/summary")
def league_summary():
    raw = rds.get(SUMMARY_KEY)
    if raw is not None:
        return json.loads(raw)
    # single flight: one pod recomputes, everyone else serves the stale copy meanwhile
    if rds.set(SUMMARY_LOCK, "1", nx=True, ex=30):
        try:
            data = _compute_summary()
            body = json.dumps(data)
            rds.set(SUMMARY_KEY, body, ex=300)
            rds.set(SUMMARY_STALE_KEY, body)
            return data
        finally:
            rds.delete(SUMMARY_LOCK)
    stale = rds.get(SUMMARY_STALE_KEY)
    return json.loads(stale) if stale is not None else {"leagues": [], "warming": True}
