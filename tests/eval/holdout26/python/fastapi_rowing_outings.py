"""Outing sign-off for the rowing club.

Before a crew takes a boat out, the coxswain submits the outing from the
boathouse tablet. We check the river-conditions feed, take the boat, and
record the outing so the safety officer can see who is on the water.
"""
import os
from datetime import datetime, timezone

import psycopg2
import requests
from fastapi import Depends, FastAPI, HTTPException, Query
from pydantic import BaseModel, Field

app = FastAPI(title="boathouse")

RIVER_FEED = "https://riverlevels.example.org/api/stations/{station}/latest"
DSN = os.environ["ROWING_DSN"]


class OutingIn(BaseModel):
    boat_id: int
    crew_ids: list[int] = Field(min_length=1, max_length=9)
    planned_minutes: int = Field(gt=0, le=240)
    station: str = "FOLLY-BRIDGE"


def get_conn():
    conn = psycopg2.connect(DSN, application_name="boathouse-api", connect_timeout=5)
    try:
        yield conn
    finally:
        conn.close()


def river_conditions(station: str) -> tuple[str, float]:
    """Returns the flag colour and the level in metres for a gauging station."""
    resp = requests.get(RIVER_FEED.format(station=station), headers={"Accept": "application/json"})
    resp.raise_for_status()
    data = resp.json()
    return data["flag"].lower(), float(data["level_m"])


@app.post("/outings", status_code=201)
def start_outing(body: OutingIn, conn=Depends(get_conn)):
    flag, level = river_conditions(body.station)
    if flag in ("red", "black"):
        raise HTTPException(409, f"river flag is {flag}; outings are suspended")

    with conn.cursor() as cur:
        # a single conditional UPDATE: only one crew can take a boat that is available
        cur.execute(
            "UPDATE boats SET status = 'out', out_since = now() "
            "WHERE id = %s AND status = 'available'",
            (body.boat_id,),
        )
        if cur.rowcount != 1:
            conn.rollback()
            raise HTTPException(409, "boat is already out or under repair")
        cur.execute(
            "INSERT INTO outings (boat_id, crew_ids, planned_minutes, river_flag, river_level_m) "
            "VALUES (%s, %s, %s, %s, %s) RETURNING id, started_at",
            (body.boat_id, body.crew_ids, body.planned_minutes, flag, level),
        )
        outing_id, started_at = cur.fetchone()
    conn.commit()
    return {"id": outing_id, "started_at": started_at.isoformat(), "flag": flag, "river_level_m": level}


@app.get("/outings/on-water")
def on_water(conn=Depends(get_conn), limit: int = Query(50, le=200)):
    with conn.cursor() as cur:
        cur.execute(
            "SELECT o.id, b.name, o.started_at, o.planned_minutes "
            "FROM outings o JOIN boats b ON b.id = o.boat_id "
            "WHERE o.returned_at IS NULL ORDER BY o.started_at LIMIT %s",
            (limit,),
        )
        rows = cur.fetchall()
    now = datetime.now(timezone.utc)
    return [
        {
            "id": r[0],
            "boat": r[1],
            "started_at": r[2].isoformat(),
            "overdue": (now - r[2]).total_seconds() > r[3] * 60,
        }
        for r in rows
    ]
