# shop/catalog/cache.py (excerpt)
import json
import logging

import redis
from sqlalchemy import text

from shop.db import engine
from shop.settings import REDIS_URL

log = logging.getLogger(__name__)

r = redis.Redis.from_url(REDIS_URL, socket_timeout=2, decode_responses=True)

NAV_TTL = 600
TOP_SELLERS_TTL = 300
PRODUCT_TTL = 120


def get_nav_tree(user_id: int) -> list[dict]:
    """Category tree rendered in the site header."""
    key = f"nav:{user_id}"
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT id, parent_id, name, slug FROM categories "
            "WHERE visible ORDER BY parent_id NULLS FIRST, position"
        )).mappings().all()
    tree = [dict(row) for row in rows]
    r.setex(key, NAV_TTL, json.dumps(tree))
    return tree


def get_top_sellers(limit: int = 12) -> list[dict]:
    """'Popular right now' strip on the homepage, called on every homepage render."""
    cached = r.get("home:top_sellers")
    if cached:
        return json.loads(cached)[:limit]

    with engine.connect() as conn:
        rows = conn.execute(text("""
            SELECT p.id, p.name, p.slug, p.price_cents, SUM(oi.quantity) AS sold
            FROM order_items oi
            JOIN orders o   ON o.id = oi.order_id
            JOIN products p ON p.id = oi.product_id
            WHERE o.created_at > now() - interval '30 days'
              AND o.status = 'paid'
            GROUP BY p.id
            ORDER BY sold DESC
            LIMIT 100
        """)).mappings().all()

    data = [dict(row) for row in rows]
    r.setex("home:top_sellers", TOP_SELLERS_TTL, json.dumps(data, default=str))
    return data[:limit]


def get_product(product_id: int) -> dict | None:
    key = f"product:{product_id}"
    cached = r.get(key)
    if cached:
        return json.loads(cached)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT id, name, slug, price_cents, stock FROM products WHERE id = :id"),
            {"id": product_id},
        ).mappings().first()
    if row is None:
        return None
    data = dict(row)
    r.setex(key, PRODUCT_TTL, json.dumps(data))
    return data


def invalidate_product(product_id: int) -> None:
    try:
        r.delete(f"product:{product_id}")
    except redis.RedisError:
        log.exception("could not invalidate product %s", product_id)
        raise
