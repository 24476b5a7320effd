"""Crew acknowledgement endpoint for lifeboat call-outs.

When the pager fires, crew members tap "I'm responding" in the app. A boat
needs at most `crew_capacity` responders; everyone after that is told to
stand by at the station instead of launching.
"""
import logging
from datetime import datetime, timezone

import httpx
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session

from .db import get_session
from .auth import current_crew_member

log = logging.getLogger(__name__)
router = APIRouter(prefix="/callouts")

# One shared client for the station display board; connection pooling and
# explicit timeouts so a slow board never holds a request open.
board_client = httpx.Client(
    base_url="https://board.internal.rnli-station.example",
    timeout=httpx.Timeout(3.0, connect=1.0),
)


class AckResult(BaseModel):
    callout_id: int
    status: str  # "responding" or "standby"


@router.post("/{callout_id}/ack", response_model=AckResult)
def acknowledge(callout_id: int, db: Session = Depends(get_session),
                member=Depends(current_crew_member)):
    # Claim a seat on the boat in a single statement: the WHERE clause makes
    # the capacity check and the increment one atomic step.
    claimed = db.execute(
        text(
            "UPDATE callouts SET responders = responders + 1 "
            "WHERE id = :cid AND station_id = :sid "
            "AND responders < crew_capacity AND closed_at IS NULL"
        ),
        {"cid": callout_id, "sid": member.station_id},
    )
    status = "responding" if claimed.rowcount == 1 else "standby"

    # A unique (callout_id, crew_id) constraint stops a double tap from
    # inserting two acknowledgement rows.
    db.execute(
        text(
            "INSERT INTO callout_acks (callout_id, crew_id, status, acked_at) "
            "VALUES (:cid, :crew, :status, :ts) "
            "ON CONFLICT (callout_id, crew_id) DO NOTHING"
        ),
        {"cid": callout_id, "crew": member.id, "status": status,
         "ts": datetime.now(timezone.utc)},
    )
    db.commit()

    try:
        board_client.post(f"/callouts/{callout_id}/responders",
                          json={"crew_id": member.id, "status": status})
    except httpx.HTTPError:
        # The board is a convenience display; the ack itself is committed.
        log.warning("station board update failed for callout %s", callout_id,
                    exc_info=True)

    return AckResult(callout_id=callout_id, status=status)


@router.get("/{callout_id}/acks")
def list_acks(callout_id: int, db: Session = Depends(get_session),
              member=Depends(current_crew_member)):
    rows = db.execute(
        text(
            "SELECT a.crew_id, a.status, a.acked_at FROM callout_acks a "
            "JOIN callouts c ON c.id = a.callout_id "
            "WHERE a.callout_id = :cid AND c.station_id = :sid "
            "ORDER BY a.acked_at LIMIT 50"
        ),
        {"cid": callout_id, "sid": member.station_id},
    ).mappings().all()
    if not rows:
        raise HTTPException(status_code=404, detail="no acknowledgements")
    return {"acks": [dict(r) for r in rows]}
