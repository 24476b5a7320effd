# URL shortener API - runs as 3 replicas (see deploy/shortener.yaml)
import json
import secrets

import httpx
from cachetools import TTLCache
from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, HttpUrl
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from .db import get_session
from .security import api_key_owner

app = FastAPI()
redis = Redis.from_url("redis://redis:6379/2", decode_responses=True)
safe_browsing = httpx.AsyncClient(base_url="https://safebrowsing.example/v4", timeout=3.0)

# hot slugs, per process; 60s staleness is acceptable for redirects
_slug_cache: TTLCache = TTLCache(maxsize=50_000, ttl=60)

LIMIT_PER_MINUTE = 120


async def rate_limited(owner=Depends(api_key_owner)):
    key = f"rl:{owner.id}"
    n = await redis.incr(key)
    if n == 1:
        await redis.expire(key, 60)
    if n > LIMIT_PER_MINUTE:
        raise HTTPException(429, "slow down")
    return owner


class LinkIn(BaseModel):
    url: HttpUrl


@app.post("/links", status_code=201)
async def create_link(body: LinkIn, owner=Depends(rate_limited), db: AsyncSession = Depends(get_session)):
    check = await safe_browsing.post("/threatMatches:find", json={"url": str(body.url)})
    if check.status_code == 200 and check.json().get("matches"):
        raise HTTPException(422, "url flagged as unsafe")
    for _ in range(3):
        slug = secrets.token_urlsafe(5)
        row = (await db.execute(
            text("INSERT INTO links (slug, target, owner_id) VALUES (:s, :t, :o) "
                 "ON CONFLICT (slug) DO NOTHING RETURNING slug"),
            {"s": slug, "t": str(body.url), "o": owner.id},
        )).first()
        if row:
            await db.commit()
            await redis.delete(f"mylinks:{owner.id}")
            return {"slug": slug}
    raise HTTPException(503, "could not allocate slug")


@app.get("/{slug}")
async def follow(slug: str, db: AsyncSession = Depends(get_session)):
    target = _slug_cache.get(slug)
    if target is None:
        target = (await db.execute(text("SELECT target FROM links WHERE slug = :s"), {"s": slug})).scalar()
        if target is None:
            raise HTTPException(404)
        _slug_cache[slug] = target
    await db.execute(text("UPDATE links SET clicks = clicks + 1 WHERE slug = :s"), {"s": slug})
    await db.commit()
    return RedirectResponse(target, status_code=302)


@app.get("/me/links")
async def my_links(owner=Depends(api_key_owner), db: AsyncSession = Depends(get_session)):
    key = f"mylinks:{owner.id}"  # dashboard list of the caller's own links
    cached = await redis.get(key)
    if cached:
        return json.loads(cached)
    rows = (await db.execute(
        text("SELECT slug, target, clicks, created_at FROM links WHERE owner_id = :o "
             "ORDER BY created_at DESC LIMIT 100"),
        {"o": owner.id},
    )).mappings().all()
    data = [{**r, "created_at": r["created_at"].isoformat()} for r in rows]
    await redis.set(key, json.dumps(data), ex=30)
    return data
