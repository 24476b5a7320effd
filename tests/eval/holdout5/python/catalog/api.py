"""
Catalog API: category tree, product listing, product detail with reviews and
live price from the pricing service.

Runs as 6 uvicorn pods; shared caches live in Redis, the small per-pod cache
is bounded and short-lived.
"""
import asyncio
import json
from contextlib import asynccontextmanager

import httpx
import redis.asyncio as redis
from cachetools import TTLCache
from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.db import get_db
from catalog.models import Category, Product, Review
from catalog.settings import settings

TREE_KEY = "catalog:category-tree"
TREE_LOCK = "lock:catalog:category-tree"

_product_cache: TTLCache = TTLCache(maxsize=2048, ttl=30)


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.redis = redis.from_url(settings.redis_url, decode_responses=True)
    app.state.pricing = httpx.AsyncClient(
        base_url=settings.pricing_url,
        timeout=httpx.Timeout(2.0, connect=0.5),
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
    )
    yield
    await app.state.pricing.aclose()
    await app.state.redis.aclose()


app = FastAPI(lifespan=lifespan)


async def _build_tree(db: AsyncSession) -> list[dict]:
    rows = (await db.execute(select(Category.id, Category.parent_id, Category.name, Category.slug))).all()
    nodes = {r.id: {"id": r.id, "name": r.name, "slug": r.slug, "children": []} for r in rows}
    roots = []
    for r in rows:
        (nodes[r.parent_id]["children"] if r.parent_id else roots).append(nodes[r.id])
    return roots


@app.get("/categories")
async def categories(db: AsyncSession = Depends(get_db)):
    rds = app.state.redis
    for _ in range(20):
        cached = await rds.get(TREE_KEY)
        if cached:
            return json.loads(cached)
        # only one pod rebuilds; the others wait for it instead of hitting Postgres
        if await rds.set(TREE_LOCK, "1", nx=True, ex=15):
            try:
                tree = await _build_tree(db)
                await rds.set(TREE_KEY, json.dumps(tree), ex=900)
                return tree
            finally:
                await rds.delete(TREE_LOCK)
        await asyncio.sleep(0.1)
    raise HTTPException(503, "category tree is being rebuilt, retry shortly")


@app.get("/categories/{category_id}/products")
async def list_products(
    category_id: int,
    after_id: int = 0,
    limit: int = Query(24, le=100),
    db: AsyncSession = Depends(get_db),
):
    products = (await db.scalars(
        select(Product)
        .where(Product.category_id == category_id, Product.id > after_id, Product.active.is_(True))
        .order_by(Product.id)
        .limit(limit)
    )).all()
    ids = [p.id for p in products]
    ratings = dict((await db.execute(
        select(Review.product_id, func.avg(Review.stars)).where(Review.product_id.in_(ids)).group_by(Review.product_id)
    )).all()) if ids else {}
    return {
        "items": [{"id": p.id, "name": p.name, "rating": ratings.get(p.id)} for p in products],
        "next_after_id": ids[-1] if len(ids) == limit else None,
    }


@app.get("/products/{product_id}")
async def product_detail(product_id: int, db: AsyncSession = Depends(get_db)):
    product = _product_cache.get(product_id)
    if product is None:
        p = await db.get(Product, product_id)
        if p is None:
            raise HTTPException(404)
        product = _product_cache[product_id] = {"id": p.id, "name": p.name, "sku": p.sku}
    resp = await app.state.pricing.get(f"/prices/{product['sku']}")
    resp.raise_for_status()
    return product | {"price": resp.json()}
