# app/routers/leaderboard.py  -- escape-game franchise API
# k8s: 6 replicas of this service, shared Redis + Postgres (bookings ~40M rows, games ~25M)
import json

import redis
from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.auth import current_player, require_franchise_admin
from app.db import get_db

router = APIRouter(prefix="/api")
cache = redis.Redis.from_url("redis://cache:6379/0", socket_timeout=2, socket_connect_timeout=2)

LEADERBOARD_TTL = 60
POPULAR_TTL = 600


@router.get("/leaderboard/global")
def global_leaderboard(db: Session = Depends(get_db)):
    cached = cache.get("leaderboard:global")
    if cached:
        return json.loads(cached)

    rows = db.execute(text("""
        SELECT t.id, t.name, f.city,
               MIN(g.finish_seconds) AS best_time,
               COUNT(*)              AS games_played
          FROM games g
          JOIN teams t      ON t.id = g.team_id
          JOIN franchises f ON f.id = g.franchise_id
         WHERE g.escaped = true
         GROUP BY t.id, t.name, f.city
         ORDER BY best_time ASC
         LIMIT 100
    """)).mappings().all()
    data = [dict(r) for r in rows]
    cache.setex("leaderboard:global", LEADERBOARD_TTL, json.dumps(data, default=str))
    return data


@router.get("/rooms/popular")
def popular_rooms(player=Depends(current_player), db: Session = Depends(get_db)):
    key = f"popular_rooms:{player.id}"
    hit = cache.get(key)
    if hit:
        return json.loads(hit)
    rows = db.execute(text("""
        SELECT r.id, r.title, r.difficulty, COUNT(b.id) AS bookings_30d
          FROM rooms r
          JOIN bookings b ON b.room_id = r.id
         WHERE b.created_at > now() - interval '30 days'
         GROUP BY r.id
         ORDER BY bookings_30d DESC
         LIMIT 12
    """)).mappings().all()
    data = [dict(r) for r in rows]
    cache.setex(key, POPULAR_TTL, json.dumps(data))
    return data


@router.get("/franchises/{franchise_id}/dashboard")
def franchise_dashboard(franchise_id: int, admin=Depends(require_franchise_admin), db: Session = Depends(get_db)):
    if admin.franchise_id != franchise_id:
        raise HTTPException(403)
    stats = db.execute(text("""
        SELECT r.title,
               date_trunc('month', b.slot_start) AS month,
               COUNT(*)                          AS bookings,
               SUM(b.price_cents)                AS revenue_cents,
               AVG(g.finish_seconds)             AS avg_finish,
               SUM(CASE WHEN g.escaped THEN 1 ELSE 0 END)::float / NULLIF(COUNT(g.id), 0) AS escape_rate
          FROM bookings b
          JOIN rooms r      ON r.id = b.room_id
          LEFT JOIN games g ON g.booking_id = b.id
         WHERE b.franchise_id = :fid
         GROUP BY r.title, month
         ORDER BY month DESC, r.title
    """), {"fid": franchise_id}).mappings().all()
    return {"franchise_id": franchise_id, "rows": [dict(s) for s in stats]}
