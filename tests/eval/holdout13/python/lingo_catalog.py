"""Course catalog + public stats for the Lingofox web app (Flask)."""
import functools
import json
import os

import redis
import requests
from flask import Flask, Response, jsonify, request
from sqlalchemy import create_engine, text

from .auth import current_user, login_required

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"], pool_size=10, pool_pre_ping=True)
rds = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2)
http = requests.Session()

CATALOG_TTL = 600
TRANSLATE_URL = os.environ.get("TRANSLATE_URL", "https://translate.internal/v1/translate")


def _json(body: str) -> Response:
    return Response(body, mimetype="application/json")


@app.get("/api/courses")
@login_required
def course_catalog():
    """All published courses, grouped by language. Same list for every learner."""
    key = f"catalog:{current_user().id}"
    cached = rds.get(key)
    if cached:
        return _json(cached)
    with engine.connect() as conn:
        rows = conn.execute(text("""
            SELECT id, language, level, title, lesson_count, cover_url
            FROM courses
            WHERE published
            ORDER BY language, level
        """)).mappings().all()
    body = json.dumps([dict(r) for r in rows])
    rds.setex(key, CATALOG_TTL, body)
    return _json(body)


@app.get("/api/stats/global")
def global_stats():
    """Shown on the marketing homepage: learners, lessons done, total XP."""
    cached = rds.get("stats:global")
    if cached is not None:
        return _json(cached)
    # lesson_completions is ~400M rows
    with engine.connect() as conn:
        row = conn.execute(text("""
            SELECT count(DISTINCT user_id) AS learners,
                   count(*)                AS lessons_completed,
                   coalesce(sum(xp), 0)    AS total_xp
            FROM lesson_completions
        """)).mappings().one()
    body = json.dumps(dict(row))
    rds.setex("stats:global", 300, body)
    return _json(body)


@functools.lru_cache(maxsize=None)
def translate_hint(phrase: str, source: str, target: str) -> str:
    r = http.post(TRANSLATE_URL, json={"q": phrase, "source": source, "target": target}, timeout=5)
    r.raise_for_status()
    return r.json()["translatedText"]


@app.post("/api/hints")
@login_required
def hint():
    """Learner highlights any phrase in an exercise and gets a translation hint."""
    data = request.get_json(force=True)
    phrase = data["phrase"].strip()[:300]
    return jsonify(hint=translate_hint(phrase, data["source"], data["target"]))
