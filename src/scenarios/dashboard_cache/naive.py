import json

import redis.asyncio as redis
from fastapi import Depends, FastAPI, HTTPException

from .auth import current_user
from .db import pool

app = FastAPI()
cache = redis.from_url("redis://cache:6379/0")

METRIC_SQL = {
    "revenue_trend": "SELECT date_trunc('month', paid_at) AS month, sum(amount) AS value "
                     "FROM payments GROUP BY 1 ORDER BY 1",
    "signups_trend": "SELECT date_trunc('month', created_at) AS month, count(*) AS value "
                     "FROM accounts GROUP BY 1 ORDER BY 1",
}


@app.get("/api/dashboard/metrics/{metric}")
async def dashboard_metric(metric: str, user=Depends(current_user)):
    if metric not in METRIC_SQL:
        raise HTTPException(404, "Unknown metric")
    cache_key = f"dashboard:{user.id}:{metric}"
    cached = await cache.get(cache_key)
    if cached is not None:
        return json.loads(cached)
    rows = await pool.fetch(METRIC_SQL[metric])
    points = [{"month": r["month"].isoformat(), "value": float(r["value"])} for r in rows]
    await cache.set(cache_key, json.dumps(points), ex=900)
    return points
