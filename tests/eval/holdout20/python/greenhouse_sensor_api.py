"""Greenhouse sensor endpoints (SQLAlchemy 2.0, async)."""
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from .auth import Grower, current_grower
from .db import get_async_session

router = APIRouter(prefix="/api/greenhouses", tags=["sensors"])

Session = Annotated[AsyncSession, Depends(get_async_session)]
Caller = Annotated[Grower, Depends(current_grower)]

LATEST_SQL = text(
    """
    SELECT DISTINCT ON (r.sensor_id)
           r.sensor_id, r.recorded_at, r.temp_c, r.humidity_pct, r.soil_moisture
      FROM readings r
     WHERE r.sensor_id = ANY(:sensor_ids)
       AND r.recorded_at > now() - interval '1 day'
     ORDER BY r.sensor_id, r.recorded_at DESC
    """
)

PAGE_SQL = text(
    """
    SELECT r.id, s.label, r.recorded_at, r.temp_c, r.humidity_pct, r.soil_moisture, r.lux
      FROM readings r
      JOIN sensors s ON s.id = r.sensor_id
      JOIN greenhouses gh ON gh.id = s.greenhouse_id
     WHERE gh.id = :gh_id AND gh.org_id = :org_id
       AND (r.recorded_at, r.id) > (:after_ts, :after_id)
     ORDER BY r.recorded_at, r.id
     LIMIT :limit
    """
)


async def _sensor_ids(session: AsyncSession, gh_id: int, org_id: int) -> dict[int, str]:
    rows = await session.execute(
        text(
            "SELECT s.id, s.label FROM sensors s "
            "JOIN greenhouses gh ON gh.id = s.greenhouse_id "
            "WHERE gh.id = :gh_id AND gh.org_id = :org_id AND s.active "
            "ORDER BY s.bench, s.label LIMIT 500"
        ),
        {"gh_id": gh_id, "org_id": org_id},
    )
    ids = {row.id: row.label for row in rows}
    if not ids:
        raise HTTPException(status_code=404, detail="Greenhouse not found")
    return ids


@router.get("/{gh_id}/sensors/latest")
async def latest_readings(gh_id: int, session: Session, grower: Caller):
    labels = await _sensor_ids(session, gh_id, grower.org_id)
    # One round trip for every sensor on the dashboard.
    result = await session.execute(LATEST_SQL, {"sensor_ids": list(labels)})
    latest = {row.sensor_id: row for row in result}
    return [
        {
            "sensor": labels[sid],
            "recorded_at": latest[sid].recorded_at if sid in latest else None,
            "temp_c": latest[sid].temp_c if sid in latest else None,
            "humidity_pct": latest[sid].humidity_pct if sid in latest else None,
            "soil_moisture": latest[sid].soil_moisture if sid in latest else None,
        }
        for sid in labels
    ]


@router.get("/{gh_id}/readings")
async def page_readings(
    gh_id: int,
    session: Session,
    grower: Caller,
    after_ts: datetime = Query(datetime(1970, 1, 1)),
    after_id: int = Query(0, ge=0),
    limit: int = Query(500, ge=1, le=2000),
):
    """Keyset-paginated export; the client follows `next` until it is null."""
    result = await session.execute(
        PAGE_SQL,
        {
            "gh_id": gh_id,
            "org_id": grower.org_id,
            "after_ts": after_ts,
            "after_id": after_id,
            "limit": limit,
        },
    )
    items = [dict(row._mapping) for row in result]
    nxt = None
    if len(items) == limit:
        last = items[-1]
        nxt = {"after_ts": last["recorded_at"].isoformat(), "after_id": last["id"]}
    return {"items": items, "next": nxt}
