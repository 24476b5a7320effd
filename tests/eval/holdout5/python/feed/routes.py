"""
Feed API (FastAPI + SQLAlchemy 2.0 async + Redis).

- GET /feed/home        posts from people you follow
- GET /feed/trending    global trending posts (cached in Redis)
- GET /posts/{id}/comments
"""
import json
from datetime import datetime, timedelta, timezone

import redis.asyncio as redis
from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import desc, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import current_user
from app.db import get_db
from app.models import Comment, Follow, Like, Post, User
from app.settings import settings

router = APIRouter()
rds = redis.from_url(settings.redis_url, decode_responses=True)

TRENDING_KEY = "feed:trending:v2"
TRENDING_TTL = 60  # seconds


def _post_dict(post: Post, author: User) -> dict:
    return {
        "id": post.id,
        "body": post.body,
        "created_at": post.created_at.isoformat(),
        "author": {"id": author.id, "handle": author.handle, "avatar": author.avatar_url},
    }


@router.get("/feed/home")
async def home_feed(before: datetime | None = None, user=Depends(current_user), db: AsyncSession = Depends(get_db)):
    followees = select(Follow.followee_id).where(Follow.follower_id == user.id)
    stmt = select(Post).where(Post.author_id.in_(followees)).order_by(desc(Post.created_at)).limit(50)
    if before:
        stmt = stmt.where(Post.created_at < before)
    posts = (await db.scalars(stmt)).all()

    items = []
    for post in posts:
        author = await db.get(User, post.author_id)
        items.append(_post_dict(post, author))
    return {"items": items, "next_before": items[-1]["created_at"] if items else None}


@router.get("/feed/trending")
async def trending(db: AsyncSession = Depends(get_db)):
    cached = await rds.get(TRENDING_KEY)
    if cached:
        return json.loads(cached)

    # Score = likes in the last 24h, weighted by recency. Scans posts + likes.
    since = datetime.now(timezone.utc) - timedelta(hours=24)
    score = func.count(Like.id) / func.power(
        func.extract("epoch", func.now() - Post.created_at) / 3600 + 2, 1.5
    )
    stmt = (
        select(Post, User, score.label("score"))
        .join(Like, Like.post_id == Post.id)
        .join(User, User.id == Post.author_id)
        .where(Like.created_at >= since)
        .group_by(Post.id, User.id)
        .order_by(desc("score"))
        .limit(100)
    )
    rows = (await db.execute(stmt)).all()
    payload = {"items": [_post_dict(p, u) | {"score": float(s)} for p, u, s in rows]}

    await rds.set(TRENDING_KEY, json.dumps(payload), ex=TRENDING_TTL)
    return payload


@router.get("/posts/{post_id}/comments")
async def post_comments(post_id: int, db: AsyncSession = Depends(get_db)):
    post = await db.get(Post, post_id)
    if post is None:
        raise HTTPException(404, "post not found")
    stmt = select(Comment).where(Comment.post_id == post_id).order_by(Comment.created_at)
    comments = (await db.scalars(stmt)).all()
    return [
        {"id": c.id, "author_id": c.author_id, "body": c.body, "created_at": c.created_at.isoformat()}
        for c in comments
    ]
