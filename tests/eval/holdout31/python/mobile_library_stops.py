"""Route stops for mobile library vans, shared by several county councils.

Each council is a tenant; staff tokens carry the council id. Arrival estimates
come from the routing service, called through one pooled client per worker.
"""
import logging
from contextlib import asynccontextmanager
from datetime import date

import httpx
from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vans.auth import StaffUser, current_staff
from vans.db import get_session
from vans.models import RouteStop, Van
from vans.settings import ROUTING_URL

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.routing = httpx.AsyncClient(
        base_url=ROUTING_URL,
        timeout=httpx.Timeout(5.0, connect=2.0),
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
    )
    try:
        yield
    finally:
        await app.state.routing.aclose()


app = FastAPI(lifespan=lifespan)


@app.get("/vans/{van_id}/stops")
async def van_stops(
    van_id: int,
    on: date,
    page: int = Query(1, ge=1),
    per_page: int = Query(25, ge=1, le=100),
    staff: StaffUser = Depends(current_staff),
    db: AsyncSession = Depends(get_session),
):
    stmt = (
        select(RouteStop)
        .join(Van, Van.id == RouteStop.van_id)
        .where(
            Van.council_id == staff.council_id,
            RouteStop.council_id == staff.council_id,
            RouteStop.van_id == van_id,
            RouteStop.service_date == on,
        )
        .order_by(RouteStop.sequence)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    stops = (await db.scalars(stmt)).all()
    return [
        {"id": s.id, "seq": s.sequence, "place": s.place_name, "arrive": s.scheduled_at.isoformat()}
        for s in stops
    ]


@app.get("/vans/{van_id}/eta")
async def next_stop_eta(
    van_id: int,
    staff: StaffUser = Depends(current_staff),
    db: AsyncSession = Depends(get_session),
):
    van = await db.scalar(
        select(Van).where(Van.id == van_id, Van.council_id == staff.council_id)
    )
    if van is None:
        raise HTTPException(status_code=404, detail="Van not found")

    try:
        resp = await app.state.routing.get(
            "/eta",
            params={"from": f"{van.last_lat},{van.last_lon}", "stop": van.next_stop_id},
        )
        resp.raise_for_status()
    except httpx.HTTPError:
        log.exception("routing service failed for van %s", van_id)
        raise HTTPException(status_code=502, detail="Arrival estimate unavailable")

    return {"van": van.registration, "next_stop": van.next_stop_id, "eta_minutes": resp.json()["minutes"]}
