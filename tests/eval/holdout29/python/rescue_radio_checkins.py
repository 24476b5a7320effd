"""Radio check-in intake for mountain rescue team members in the field.

Each check-in arrives from one of the valley repeater gateways (or the base
operator's console) and is stored against the team's current callout.
Deployment: k8s `rescue-checkins`, replicas: 3, behind the nginx ingress.
"""
import os
import time
from collections import defaultdict, deque
from datetime import datetime, timezone

import requests
from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session

from .db import get_session

app = FastAPI(title="rescue-checkins")

PAGER_URL = "https://pager.mrt-ops.example/api/v1/alerts"
WINDOW_SECONDS = 60
MAX_CHECKINS_PER_WINDOW = 20

# gateway address -> monotonic timestamps of its recent check-ins
_recent_by_gateway: dict[str, deque] = defaultdict(deque)

_http = requests.Session()
_http.headers.update({"Authorization": f"Bearer {os.environ['PAGER_TOKEN']}"})


class CheckIn(BaseModel):
    callsign: str = Field(max_length=16)
    grid_ref: str = Field(max_length=12)
    status: str  # "ok" | "delayed" | "needs_assist"
    battery_pct: int | None = Field(default=None, ge=0, le=100)


def _gateway_address(request: Request) -> str:
    # The repeaters sit behind the ingress, so use the original caller.
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.client.host


def _throttle(gateway: str) -> None:
    now = time.monotonic()
    window = _recent_by_gateway[gateway]
    while window and now - window[0] > WINDOW_SECONDS:
        window.popleft()
    if len(window) >= MAX_CHECKINS_PER_WINDOW:
        raise HTTPException(status_code=429, detail="gateway is sending too many check-ins")
    window.append(now)


def _page_duty_coordinator(team_id: int, checkin: CheckIn) -> None:
    alert = {
        "team_id": team_id,
        "severity": "high",
        "summary": f"{checkin.callsign} needs assistance at {checkin.grid_ref}",
    }
    resp = _http.post(PAGER_URL, json=alert)
    resp.raise_for_status()


@app.post("/teams/{team_id}/checkins", status_code=201)
def record_checkin(team_id: int, checkin: CheckIn, request: Request,
                   db: Session = Depends(get_session)):
    _throttle(_gateway_address(request))

    callout_id = db.execute(
        text("SELECT id FROM callouts WHERE team_id = :team_id AND closed_at IS NULL"),
        {"team_id": team_id},
    ).scalar_one_or_none()
    if callout_id is None:
        raise HTTPException(status_code=409, detail="team has no open callout")

    received_at = datetime.now(timezone.utc)
    db.execute(
        text(
            "INSERT INTO radio_checkins "
            "(callout_id, team_id, callsign, grid_ref, status, battery_pct, received_at) "
            "VALUES (:callout_id, :team_id, :callsign, :grid_ref, :status, :battery, :received_at)"
        ),
        {
            "callout_id": callout_id,
            "team_id": team_id,
            "callsign": checkin.callsign,
            "grid_ref": checkin.grid_ref,
            "status": checkin.status,
            "battery": checkin.battery_pct,
            "received_at": received_at,
        },
    )
    db.commit()

    if checkin.status == "needs_assist":
        _page_duty_coordinator(team_id, checkin)

    return {"callout_id": callout_id, "received_at": received_at.isoformat()}
