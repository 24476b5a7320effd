"""Route planning service for the last-mile dispatch team.

POST a depot + list of stops, get back a job id; poll GET /plans/{id} for the
optimized stop order. Run with:

    gunicorn dispatch.route_planner:app -k uvicorn.workers.UvicornWorker -w 4 -b 0.0.0.0:8000
"""
import math
import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

OSRM_URL = os.environ.get("OSRM_URL", "http://osrm.internal:5000")

app = FastAPI(title="route-planner")

# job_id -> {"status": ..., "route": [...], "eta_seconds": ...}
plans: dict[str, dict] = {}
solver_pool = ThreadPoolExecutor(max_workers=8)


class Stop(BaseModel):
    id: str
    lat: float
    lon: float


class PlanRequest(BaseModel):
    depot: Stop
    stops: list[Stop] = Field(..., min_length=1, max_length=400)


def haversine_km(a: Stop, b: Stop) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def two_opt(points: list[Stop]) -> list[Stop]:
    """Classic 2-opt over a full distance matrix. O(n^2) per pass, usually 20-50 passes."""
    n = len(points)
    dist = [[haversine_km(points[i], points[j]) for j in range(n)] for i in range(n)]
    order = list(range(n))
    improved = True
    while improved:
        improved = False
        for i in range(1, n - 2):
            for k in range(i + 1, n - 1):
                a, b, c, d = order[i - 1], order[i], order[k], order[k + 1]
                if dist[a][c] + dist[b][d] < dist[a][b] + dist[c][d] - 1e-9:
                    order[i : k + 1] = reversed(order[i : k + 1])
                    improved = True
    return [points[i] for i in order]


def solve(job_id: str, req: PlanRequest) -> None:
    try:
        route = two_opt([req.depot, *req.stops])
        coords = ";".join(f"{s.lon},{s.lat}" for s in route)
        resp = requests.get(f"{OSRM_URL}/route/v1/driving/{coords}", params={"overview": "false"})
        resp.raise_for_status()
        eta = resp.json()["routes"][0]["duration"]
        plans[job_id] = {"status": "done", "route": [s.id for s in route], "eta_seconds": eta}
    except Exception as exc:  # surfaced to the dispatcher UI
        plans[job_id] = {"status": "failed", "error": str(exc)}


@app.post("/plans", status_code=202)
def create_plan(req: PlanRequest):
    job_id = uuid.uuid4().hex
    plans[job_id] = {"status": "running"}
    solver_pool.submit(solve, job_id, req)
    return {"job_id": job_id}


@app.get("/plans/{job_id}")
def get_plan(job_id: str):
    plan = plans.get(job_id)
    if plan is None:
        raise HTTPException(status_code=404, detail="unknown plan")
    return plan
