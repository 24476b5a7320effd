# mealkit/api/catalog.py  (Flask, gunicorn -w 6, 2 pods)
import json
import os

import redis
from flask import Blueprint, g, jsonify
from sqlalchemy import text

from mealkit.db import engine
from mealkit.auth import login_required

bp = Blueprint("catalog", __name__)
cache = redis.Redis.from_url(os.environ["REDIS_URL"])


@bp.get("/menu/this-week")
@login_required
def this_week_menu():
    # Same 24 recipes for every customer this week
    key = f"menu:week:{g.user.id}"
    hit = cache.get(key)
    if hit:
        return jsonify(json.loads(hit))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT r.id, r.title, r.image_url, r.prep_minutes, r.calories "
                "FROM weekly_menu m JOIN recipes r ON r.id = m.recipe_id "
                "WHERE m.week_start = date_trunc('week', now()) ORDER BY m.position"
            )
        ).mappings().all()
    data = [dict(r) for r in rows]
    cache.set(key, json.dumps(data), ex=3600)
    return jsonify(data)


@bp.get("/recipes/popular")
def popular_recipes():
    cached = cache.get("recipes:popular")
    if cached is not None:
        return jsonify(json.loads(cached))
    # ratings has ~40M rows; this takes 6-8 s on the replica
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                """
                SELECT r.id, r.title, avg(rt.stars) AS score, count(*) AS votes
                  FROM ratings rt
                  JOIN recipes r ON r.id = rt.recipe_id
                 WHERE rt.created_at > now() - interval '90 days'
                 GROUP BY r.id, r.title
                HAVING count(*) > 50
                 ORDER BY score DESC
                 LIMIT 20
                """
            )
        ).mappings().all()
    data = [{**r, "score": float(r["score"])} for r in rows]
    cache.set("recipes:popular", json.dumps(data), ex=300)
    return jsonify(data)


@bp.get("/me/box")
@login_required
def my_next_box():
    key = f"box:{g.user.id}"
    hit = cache.get(key)
    if hit:
        return jsonify(json.loads(hit))
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT recipe_id, servings FROM box_items WHERE user_id = :u AND delivered = false"),
            {"u": g.user.id},
        ).mappings().all()
    data = [dict(r) for r in rows]
    cache.set(key, json.dumps(data), ex=60)
    return jsonify(data)
