import asyncio
import logging

import httpx
from sqlalchemy import text

from .db import async_session

log = logging.getLogger(__name__)
PUSH_URL = "https://push.internal/api/send"
PROFILE_URL = "https://profiles.internal/api/users"


async def notify_followers(author_id: int, post_id: int) -> int:
    async with async_session() as db:
        followers = (
            await db.execute(
                text("SELECT follower_id FROM follows WHERE followee_id = :a"), {"a": author_id}
            )
        ).scalars().all()

    sent = 0
    async with httpx.AsyncClient(timeout=5.0) as client:
        for follower_id in followers:
            profile = await client.get(f"{PROFILE_URL}/{follower_id}")
            if not profile.json().get("push_enabled"):
                continue
            await client.post(PUSH_URL, json={"user": follower_id, "post": post_id})
            sent += 1
    return sent


async def notify_batch(user_ids: list[int], message: str) -> None:
    async with httpx.AsyncClient(timeout=5.0) as client:
        resp = await client.post(
            f"{PUSH_URL}/batch", json={"users": user_ids, "message": message}
        )
        resp.raise_for_status()


async def digest(user_ids: list[int]) -> dict[int, int]:
    async with async_session() as db:
        rows = (
            await db.execute(
                text(
                    "SELECT user_id, count(*) AS unread FROM notifications "
                    "WHERE user_id = ANY(:ids) AND read_at IS NULL GROUP BY user_id"
                ),
                {"ids": user_ids},
            )
        ).all()
    counts = {r.user_id: r.unread for r in rows}
    await asyncio.gather(*(notify_batch([u], f"{n} unread") for u, n in counts.items() if n))
    return counts
