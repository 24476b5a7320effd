"""Ski rental fitting service: DIN release setting from the ISO 11088 chart + boot sizing API."""
import csv
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from cachetools import TTLCache
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .auth import StaffUser, current_staff
from .db import get_session
from .din import skier_code, sole_bucket
from .models import Fitting

SIZING_API = "https://sizing.bootmakers.example/v1"

# (skier_code, sole_bucket) -> DIN; filled once at startup, read-only afterwards
DIN_CHART: dict[tuple[str, int], float] = {}
_ski_specs: TTLCache = TTLCache(maxsize=2048, ttl=600)


def _load_din_chart(path: Path) -> None:
    with path.open() as f:
        for row in csv.DictReader(f):
            DIN_CHART[(row["skier_code"], int(row["sole_bucket"]))] = float(row["din"])


@asynccontextmanager
async def lifespan(app: FastAPI):
    _load_din_chart(Path(__file__).with_name("din_chart.csv"))
    app.state.http = httpx.AsyncClient(
        base_url=SIZING_API,
        timeout=httpx.Timeout(4.0, connect=1.5),
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
    )
    yield
    await app.state.http.aclose()


app = FastAPI(lifespan=lifespan)


def get_http(request: Request) -> httpx.AsyncClient:
    return request.app.state.http


class FittingIn(BaseModel):
    customer_id: int
    height_cm: int = Field(ge=90, le=220)
    weight_kg: int = Field(ge=10, le=160)
    ability: int = Field(ge=1, le=3)
    age: int
    boot_sole_mm: int
    foot_length_mm: int
    foot_width_mm: int
    ski_model: str


async def _ski_spec(http: httpx.AsyncClient, model: str) -> dict:
    spec = _ski_specs.get(model)
    if spec is None:
        r = await http.get(f"/skis/{model}")
        r.raise_for_status()
        spec = _ski_specs[model] = r.json()
    return spec


@app.post("/shops/{shop_id}/fittings", status_code=201)
async def create_fitting(shop_id: int, body: FittingIn, staff: StaffUser = Depends(current_staff),
                         http: httpx.AsyncClient = Depends(get_http), db: AsyncSession = Depends(get_session)):
    if staff.shop_id != shop_id:
        raise HTTPException(403, "not your shop")
    spec = await _ski_spec(http, body.ski_model)
    boot = await http.get("/boots/recommend", params={"mondo": body.foot_length_mm / 10, "width_mm": body.foot_width_mm})
    boot.raise_for_status()
    din = DIN_CHART.get((skier_code(body), sole_bucket(body.boot_sole_mm)))
    if din is None:
        raise HTTPException(422, "outside DIN chart, do a manual setting")

    fitting = Fitting(
        shop_id=shop_id, customer_id=body.customer_id, staff_id=staff.id, ski_model=body.ski_model,
        ski_length_cm=spec["lengths"][0], din=din, boot_shell=boot.json()["shell"],
    )
    db.add(fitting)
    await db.commit()
    return {"id": fitting.id, "din": din, "boot_shell": fitting.boot_shell}


@app.get("/shops/{shop_id}/fittings")
async def list_fittings(shop_id: int, before_id: int | None = None, limit: int = Query(25, ge=1, le=100),
                        staff: StaffUser = Depends(current_staff), db: AsyncSession = Depends(get_session)):
    if staff.shop_id != shop_id:
        raise HTTPException(403, "not your shop")
    stmt = select(Fitting).where(Fitting.shop_id == shop_id).order_by(Fitting.id.desc()).limit(limit)
    if before_id is not None:
        stmt = stmt.where(Fitting.id < before_id)
    rows = (await db.scalars(stmt)).all()
    return [r.to_dict() for r in rows]


@app.get("/shops/{shop_id}/fittings/{fitting_id}")
async def get_fitting(shop_id: int, fitting_id: int, staff: StaffUser = Depends(current_staff),
                      db: AsyncSession = Depends(get_session)):
    if staff.shop_id != shop_id:
        raise HTTPException(403, "not your shop")
    fitting = await db.scalar(select(Fitting).where(Fitting.id == fitting_id, Fitting.shop_id == shop_id))
    if fitting is None:
        raise HTTPException(404)
    return fitting.to_dict()
