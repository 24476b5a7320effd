"""Course catalog + "continue learning" endpoints.

Catalog data is identical for every visitor, so it lives in a small in-process
TTL cache guarded by a lock (only one request per process rebuilds it on
expiry; the others wait for that result instead of hitting the database).
"Continue learning" is genuinely per learner, so that one is cached in Redis
under the user's id.
"""
import json
import threading
import time
from functools import lru_cache

import redis
from cachetools import TTLCache
from fastapi import Depends, FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session

from lms.auth import Learner, current_learner
from lms.db import SessionLocal, get_db
from lms.markdown import render_markdown

app = FastAPI()
r = redis.Redis(host="redis", port=6379, db=3, socket_timeout=2, decode_responses=True)

_catalog = TTLCache(maxsize=64, ttl=300)
_catalog_lock = threading.Lock()


def _load_catalog(category: str):
    with SessionLocal() as db:
        rows = db.execute(
            text("SELECT id, slug, title, level, rating, enrolled_count FROM courses "
                 "WHERE published AND category = :c ORDER BY enrolled_count DESC LIMIT 200"),
            {"c": category},
        ).mappings().all()
    return [dict(row) for row in rows]


def catalog_for(category: str):
    entry = _catalog.get(category)
    if entry is not None:
        return entry
    with _catalog_lock:
        entry = _catalog.get(category)      # another request may have filled it
        if entry is None:
            entry = _load_catalog(category)
            _catalog[category] = entry
    return entry


@lru_cache(maxsize=1024)
def course_description_html(course_id: int, updated_at: float) -> str:
    with SessionLocal() as db:
        md = db.execute(text("SELECT description_md FROM courses WHERE id = :id"),
                        {"id": course_id}).scalar_one()
    return render_markdown(md)


@app.get("/catalog/{category}")
def catalog(category: str):
    return {"category": category, "courses": catalog_for(category)}


@app.get("/courses/{course_id}/description")
def description(course_id: int, db: Session = Depends(get_db)):
    updated = db.execute(text("SELECT extract(epoch FROM updated_at) FROM courses WHERE id = :id"),
                         {"id": course_id}).scalar_one()
    return {"html": course_description_html(course_id, float(updated))}


@app.get("/me/continue-learning")
def continue_learning(learner: Learner = Depends(current_learner), db: Session = Depends(get_db)):
    key = f"continue:{learner.id}"
    cached = r.get(key)
    if cached:
        return json.loads(cached)
    rows = db.execute(
        text("""
            SELECT c.id, c.title, l.id AS next_lesson_id, l.title AS next_lesson_title, e.last_accessed
            FROM enrollments e
            JOIN courses c ON c.id = e.course_id
            LEFT JOIN LATERAL (
                SELECT l.id, l.title FROM lessons l
                WHERE l.course_id = c.id
                  AND NOT EXISTS (SELECT 1 FROM lesson_completions lc
                                  WHERE lc.lesson_id = l.id AND lc.user_id = e.user_id)
                ORDER BY l.module_no, l.position LIMIT 1
            ) l ON true
            WHERE e.user_id = :uid AND e.status = 'active'
            ORDER BY e.last_accessed DESC
            LIMIT 6
        """),
        {"uid": learner.id},
    ).mappings().all()
    payload = {"generated_at": time.time(),
               "items": [{**row, "last_accessed": row["last_accessed"].isoformat()} for row in rows]}
    r.set(key, json.dumps(payload), ex=120)
    return payload
