"""
Water-meter readings API for the municipal utility portal.

k8s: replicas: 4, one uvicorn worker per pod, behind the city API gateway (30 s timeout).
"""
import asyncio
from concurrent.futures import ProcessPoolExecutor
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone

import httpx
from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from meters.auth import Operator, current_operator
from meters.db import get_session
from meters.leaks import detect_leaks  # numpy/scipy, ~200 ms of CPU per meter-year
from meters.models import Meter, Reading
from meters.tasks import export_district_csv  # Celery task

# filled once in lifespan(), read-only afterwards
resources: dict = {}


@asynccontextmanager
async def lifespan(app: FastAPI):
    resources["scada"] = httpx.AsyncClient(
        base_url="https://scada.water.city.gov/api",
        timeout=httpx.Timeout(5.0, connect=2.0),
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
    )
    resources["cpu"] = ProcessPoolExecutor(max_workers=2)
    yield
    await resources["scada"].aclose()
    resources["cpu"].shutdown(wait=True)


app = FastAPI(lifespan=lifespan)


async def _meter_for(db: AsyncSession, meter_id: int, op: Operator) -> Meter:
    meter = await db.scalar(
        select(Meter).where(Meter.id == meter_id, Meter.utility_id == op.utility_id)
    )
    if meter is None:
        raise HTTPException(404, "meter not found")
    return meter


@app.get("/meters/{meter_id}/readings")
async def readings(meter_id: int, before: datetime | None = None,
                   limit: int = Query(500, ge=1, le=2000),
                   op: Operator = Depends(current_operator),
                   db: AsyncSession = Depends(get_session)):
    meter = await _meter_for(db, meter_id, op)
    q = select(Reading.read_at, Reading.cubic_m).where(Reading.meter_id == meter.id)
    if before is not None:
        q = q.where(Reading.read_at < before)
    rows = (await db.execute(q.order_by(Reading.read_at.desc()).limit(limit))).all()
    return {
        "readings": [{"read_at": r.read_at.isoformat(), "m3": float(r.cubic_m)} for r in rows],
        "next_before": rows[-1].read_at.isoformat() if len(rows) == limit else None,
    }


@app.get("/meters/{meter_id}/leak-check")
async def leak_check(meter_id: int, op: Operator = Depends(current_operator),
                     db: AsyncSession = Depends(get_session)):
    meter = await _meter_for(db, meter_id, op)
    since = datetime.now(timezone.utc) - timedelta(days=365)
    rows = (await db.execute(
        select(Reading.read_at, Reading.cubic_m)
        .where(Reading.meter_id == meter.id, Reading.read_at >= since)
        .order_by(Reading.read_at)
    )).all()
    series = [(r.read_at.timestamp(), float(r.cubic_m)) for r in rows]
    loop = asyncio.get_running_loop()
    # CPU-bound: off the event loop and out of the GIL
    return await loop.run_in_executor(resources["cpu"], detect_leaks, series)


@app.get("/meters/{meter_id}/live")
async def live(meter_id: int, op: Operator = Depends(current_operator),
               db: AsyncSession = Depends(get_session)):
    meter = await _meter_for(db, meter_id, op)
    resp = await resources["scada"].get(f"/meters/{meter.serial}/current")
    if resp.status_code == 404:
        raise HTTPException(404, "meter offline")
    resp.raise_for_status()
    return resp.json()


@app.post("/districts/{district_id}/export", status_code=202)
async def export_district(district_id: int, op: Operator = Depends(current_operator)):
    # a district is ~60k meters x 1 year of hourly readings: never inline
    job = export_district_csv.delay(utility_id=op.utility_id, district_id=district_id,
                                    requested_by=op.id)
    return {"job_id": job.id, "status": "queued"}
