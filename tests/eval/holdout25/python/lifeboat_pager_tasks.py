"""Celery tasks for lifeboat call-outs.

Workers: celery -A station worker --concurrency 8 (two worker hosts).
The coastguard's tasking system calls our API, which enqueues `launch_callout`.
"""
import logging
from datetime import datetime, timezone

import requests
from celery import shared_task
from sqlalchemy import select

from .db import SessionLocal
from .models import Callout, CrewMember, Station, CrewPage

log = logging.getLogger(__name__)

PAGER_GATEWAY = "https://pager-gw.coastal-alerts.example/api/v1"


def _page_crew(station: Station, callout: Callout, crew: list[CrewMember]):
    """Send one multi-recipient page through the gateway."""
    resp = requests.post(
        f"{PAGER_GATEWAY}/pages",
        json={
            "station": station.code,
            "priority": "launch",
            "message": f"LAUNCH {station.code} {callout.tasking_ref}: {callout.summary}",
            "recipients": [c.pager_id for c in crew],
        },
        headers={"Authorization": f"Bearer {station.pager_token}"},
    )
    resp.raise_for_status()
    return resp.json()["page_id"]


@shared_task(bind=True, acks_late=True, max_retries=3)
def launch_callout(self, callout_id: int):
    with SessionLocal() as session:
        callout = session.get(Callout, callout_id)
        if callout is None:
            log.error("callout %s vanished before paging", callout_id)
            return
        station = session.get(Station, callout.station_id)
        crew = session.scalars(
            select(CrewMember).where(
                CrewMember.station_id == station.id,
                CrewMember.on_call.is_(True),
            ).order_by(CrewMember.id).limit(40)
        ).all()

        page_id = _page_crew(station, callout, crew)
        session.add_all(
            CrewPage(callout_id=callout.id, crew_id=c.id, page_id=page_id)
            for c in crew
        )
        callout.paged_at = datetime.now(timezone.utc)
        session.commit()
    log.info("callout %s paged %d crew", callout_id, len(crew))


@shared_task
def record_launch(callout_id: int, launched_at: str):
    """Called when the boat leaves the slipway; updates station statistics."""
    with SessionLocal() as session:
        callout = session.get(Callout, callout_id)
        station = session.get(Station, callout.station_id)

        launches = station.launches_this_year
        station.launches_this_year = launches + 1
        station.last_launch_at = datetime.fromisoformat(launched_at)
        callout.launched_at = station.last_launch_at
        session.commit()
    log.info("station %s launches this year: %s",
             station.code, station.launches_this_year)
