import json

from fastapi import APIRouter
from redis.asyncio import Redis
from sqlalchemy import text

from .db import engine

router = APIRouter()
redis = Redis(host="redis", socket_timeout=1.0)

TOP_SQL = text(
    """
    SELECT p.id, p.name, count(oi.id) AS sold
    FROM products p
    JOIN order_items oi ON oi.product_id = p.id
    WHERE oi.created_at > now() - interval '30 days'
    GROUP BY p.id, p.name
    ORDER BY sold DESC
    LIMIT 20
    """
)


@router.get("/products/top")
async def top_products():
    cached = await redis.get("top-products")
    if cached is not None:
        return json.loads(cached)
    async with engine.connect() as conn:
        rows = (await conn.execute(TOP_SQL)).mappings().all()
    data = [dict(r) for r in rows]
    await redis.set("top-products", json.dumps(data), ex=300)
    return data


@router.get("/categories/top")
async def top_categories():
    cached = await redis.get("top-categories")
    if cached is not None:
        return json.loads(cached)
    async with redis.lock("lock:top-categories", timeout=30, blocking_timeout=10):
        cached = await redis.get("top-categories")
        if cached is not None:
            return json.loads(cached)
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT c.id, c.name, count(*) AS sold FROM categories c "
                        "JOIN products p ON p.category_id = c.id "
                        "JOIN order_items oi ON oi.product_id = p.id "
                        "GROUP BY c.id, c.name ORDER BY sold DESC LIMIT 10"
                    )
                )
            ).mappings().all()
        data = [dict(r) for r in rows]
        await redis.set("top-categories", json.dumps(data), ex=300)
    return data
