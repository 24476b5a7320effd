"""Podcast download analytics.

- /d/{token}: public download redirect; counts a download (IAB-style dedupe by ip hash + day)
- /shows/{id}/stats: creator dashboard, served from the daily rollup table
- rollup + token cleanup run from the `analytics-cron` CronJob every 10 minutes
"""
import hashlib
import json
from datetime import date, timedelta

import redis.asyncio as aioredis
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from hosting.auth import Creator, current_creator
from hosting.db import get_db

router = APIRouter()
cache = aioredis.from_url("redis://redis:6379/1", socket_timeout=2)


@router.get("/d/{token}")
async def download(token: str, request: Request, db: AsyncSession = Depends(get_db)):
    row = (await db.execute(
        text("SELECT episode_id, audio_url FROM download_tokens WHERE token = :t AND expires_at > now()"),
        {"t": token},
    )).first()
    if row is None:
        raise HTTPException(404)
    ip_hash = hashlib.sha256(f"{request.client.host}|{request.headers.get('user-agent', '')}".encode()).hexdigest()
    await db.execute(
        text("INSERT INTO download_events (episode_id, ip_hash, day) VALUES (:e, :h, current_date) "
             "ON CONFLICT (episode_id, ip_hash, day) DO NOTHING"),
        {"e": row.episode_id, "h": ip_hash},
    )
    await db.commit()
    return RedirectResponse(row.audio_url, status_code=302)


@router.get("/shows/{show_id}/stats")
async def show_stats(show_id: int, days: int = 30, creator: Creator = Depends(current_creator),
                     db: AsyncSession = Depends(get_db)):
    days = max(1, min(days, 365))
    owns = (await db.execute(text("SELECT 1 FROM shows WHERE id = :s AND creator_id = :c"),
                             {"s": show_id, "c": creator.id})).first()
    if owns is None:
        raise HTTPException(404)

    key = f"stats:{show_id}:{days}"
    cached = await cache.get(key)
    if cached:
        return json.loads(cached)

    # pre-aggregated by the cron job: one row per episode per day, indexed on (show_id, day)
    rows = (await db.execute(
        text("SELECT day, SUM(downloads) AS downloads FROM episode_daily_downloads "
             "WHERE show_id = :s AND day >= :since GROUP BY day ORDER BY day"),
        {"s": show_id, "since": date.today() - timedelta(days=days)},
    )).all()
    payload = {"show_id": show_id, "series": [{"day": str(r.day), "downloads": int(r.downloads)} for r in rows]}
    await cache.set(key, json.dumps(payload), ex=600)
    return payload


async def cron_rollup_and_cleanup(db: AsyncSession):
    """Entry point for the analytics-cron CronJob (one pod, concurrencyPolicy: Forbid)."""
    if not await cache.set("lock:analytics-cron", "1", nx=True, ex=540):
        return
    await db.execute(text("""
        INSERT INTO episode_daily_downloads (show_id, episode_id, day, downloads)
        SELECT e.show_id, d.episode_id, d.day, COUNT(*)
        FROM download_events d JOIN episodes e ON e.id = d.episode_id
        WHERE d.day >= current_date - 1
        GROUP BY e.show_id, d.episode_id, d.day
        ON CONFLICT (episode_id, day) DO UPDATE SET downloads = EXCLUDED.downloads
    """))
    await db.execute(text("DELETE FROM download_tokens WHERE expires_at < now() - interval '1 day'"))
    await db.execute(text("DELETE FROM download_events WHERE day < current_date - 90"))
    await db.commit()
