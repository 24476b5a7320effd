"""Water-butt sharing for allotment associations.

Plot holders on a site share a handful of large IBC tanks. Drawing water
takes litres from a tank; the tank level is also topped up by the rain
gauge job. One deployment serves many allotment sites (tenants).
"""
from contextlib import asynccontextmanager

import httpx
from fastapi import Depends, FastAPI, HTTPException, Query
from pydantic import BaseModel, conint
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from .auth import PlotHolder, current_plot_holder
from .models import Tank, WaterDraw
from .settings import settings

engine = create_async_engine(
    settings.database_url,
    pool_size=10,
    pool_timeout=5,
    connect_args={"timeout": 5, "command_timeout": 10},
)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.weather = httpx.AsyncClient(base_url=settings.weather_api_url, timeout=httpx.Timeout(5.0))
    yield
    await app.state.weather.aclose()


app = FastAPI(lifespan=lifespan)


async def get_session():
    async with SessionLocal() as session:
        yield session


class DrawIn(BaseModel):
    litres: conint(gt=0, le=200)


@app.post("/tanks/{tank_id}/draws", status_code=201)
async def draw_water(tank_id: int, body: DrawIn, me: PlotHolder = Depends(current_plot_holder),
                     session: AsyncSession = Depends(get_session)):
    async with session.begin():
        tank = await session.scalar(
            select(Tank)
            .where(Tank.id == tank_id, Tank.site_id == me.site_id)
            .with_for_update()
        )
        if tank is None:
            raise HTTPException(status_code=404)
        if tank.level_litres - body.litres < tank.reserve_litres:
            raise HTTPException(status_code=409, detail="Tank is down to the fire/emergency reserve")
        tank.level_litres -= body.litres
        session.add(WaterDraw(tank_id=tank.id, site_id=me.site_id, plot_id=me.plot_id, litres=body.litres))
    return {"tank_id": tank_id, "level_litres": tank.level_litres}


@app.get("/tanks/{tank_id}/draws")
async def recent_draws(tank_id: int, me: PlotHolder = Depends(current_plot_holder),
                       limit: int = Query(50, le=200), offset: int = Query(0, ge=0),
                       session: AsyncSession = Depends(get_session)):
    rows = await session.scalars(
        select(WaterDraw)
        .where(WaterDraw.tank_id == tank_id, WaterDraw.site_id == me.site_id)
        .order_by(WaterDraw.drawn_at.desc())
        .limit(limit)
        .offset(offset)
    )
    return [{"plot": d.plot_id, "litres": d.litres, "at": d.drawn_at.isoformat()} for d in rows]


@app.get("/sites/me/rain-outlook")
async def rain_outlook(me: PlotHolder = Depends(current_plot_holder)):
    resp = await app.state.weather.get("/forecast/daily", params={"postcode": me.site_postcode, "days": 5})
    resp.raise_for_status()
    days = resp.json()["days"]
    return {"expected_rain_mm": round(sum(d["precip_mm"] for d in days), 1), "days": len(days)}
