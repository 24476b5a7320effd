"""CRUD for catalogue items. Postgres via an asyncpg pool created at startup."""
from contextlib import asynccontextmanager

import asyncpg
import httpx
from fastapi import Depends, FastAPI, HTTPException, Query, Request

DATABASE_URL = "postgresql://app@db/catalogue"


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.pool = await asyncpg.create_pool(DATABASE_URL, min_size=2, max_size=20)
    app.state.http = httpx.AsyncClient(timeout=httpx.Timeout(5.0, connect=2.0))
    yield
    await app.state.http.aclose()
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


async def conn(request: Request):
    async with request.app.state.pool.acquire() as c:
        yield c


@app.get("/items")
async def list_items(
    after_id: int = 0, limit: int = Query(50, ge=1, le=200), db=Depends(conn)
):
    rows = await db.fetch(
        "SELECT id, name, price_cents FROM items WHERE id > $1 ORDER BY id LIMIT $2",
        after_id, limit,
    )
    return {"items": [dict(r) for r in rows], "next": rows[-1]["id"] if rows else None}


@app.get("/items/{item_id}")
async def get_item(item_id: int, db=Depends(conn)):
    row = await db.fetchrow("SELECT id, name, price_cents, stock FROM items WHERE id = $1", item_id)
    if row is None:
        raise HTTPException(404)
    return dict(row)


@app.patch("/items/{item_id}/price")
async def change_price(item_id: int, price_cents: int, version: int, db=Depends(conn)):
    row = await db.fetchrow(
        "UPDATE items SET price_cents = $1, version = version + 1 "
        "WHERE id = $2 AND version = $3 RETURNING version",
        price_cents, item_id, version,
    )
    if row is None:
        raise HTTPException(409, "item changed, reload and retry")
    return {"version": row["version"]}


@app.post("/items/{item_id}/restock")
async def restock(item_id: int, qty: int, db=Depends(conn)):
    stock = await db.fetchval(
        "UPDATE items SET stock = stock + $1 WHERE id = $2 RETURNING stock", qty, item_id
    )
    if stock is None:
        raise HTTPException(404)
    return {"stock": stock}


@app.get("/items/{item_id}/reviews")
async def reviews(item_id: int, request: Request):
    resp = await request.app.state.http.get(
        f"https://reviews.internal/api/items/{item_id}", params={"limit": 20}
    )
    resp.raise_for_status()
    return resp.json()
