"""Tide-dependent causeway crossing permits.

Safe crossing windows come from the tide service twice a day; each window
has a permit allowance. Permits stop being valid when their window closes
and are purged a month later by the beat job below.
"""
import logging
from datetime import datetime, timedelta, timezone

import httpx
from celery import Celery
from celery.schedules import crontab
from sqlalchemy import text

from .db import engine
from .settings import settings

log = logging.getLogger(__name__)

app = Celery("causeway", broker=settings.BROKER_URL)
app.conf.beat_schedule = {
    "refresh-tide-windows": {"task": "causeway.refresh_tide_windows", "schedule": crontab(minute=5, hour="*/12")},
    "purge-expired-permits": {"task": "causeway.purge_expired_permits", "schedule": crontab(minute=30, hour=3)},
}

tide_client = httpx.Client(
    base_url=settings.TIDE_API_URL,
    timeout=httpx.Timeout(10.0, connect=3.0),
    headers={"Authorization": f"Bearer {settings.TIDE_API_TOKEN}"},
)


class PermitsExhausted(Exception):
    pass


@app.task(
    name="causeway.refresh_tide_windows",
    autoretry_for=(httpx.HTTPError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def refresh_tide_windows() -> int:
    resp = tide_client.get("/causeways/holy-island/safe-windows", params={"days": 7})
    resp.raise_for_status()
    windows = resp.json()["windows"]
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO crossing_windows (opens_at, closes_at, permits_left) "
                "VALUES (:opens_at, :closes_at, :allowance) "
                "ON CONFLICT (opens_at) DO UPDATE SET closes_at = EXCLUDED.closes_at"
            ),
            [{"opens_at": w["opens"], "closes_at": w["closes"], "allowance": settings.PERMITS_PER_WINDOW} for w in windows],
        )
    return len(windows)


def issue_permit(window_id: int, vehicle_reg: str, holder_email: str) -> int:
    with engine.begin() as conn:
        window = conn.execute(
            text(
                "UPDATE crossing_windows SET permits_left = permits_left - 1 "
                "WHERE id = :id AND permits_left > 0 AND closes_at > now() RETURNING closes_at"
            ),
            {"id": window_id},
        ).first()
        if window is None:
            raise PermitsExhausted(window_id)
        return conn.execute(
            text(
                "INSERT INTO crossing_permits (window_id, vehicle_reg, holder_email, expires_at) "
                "VALUES (:window_id, :reg, :email, :expires_at) RETURNING id"
            ),
            {"window_id": window_id, "reg": vehicle_reg.upper(), "email": holder_email, "expires_at": window.closes_at},
        ).scalar_one()


@app.task(name="causeway.purge_expired_permits")
def purge_expired_permits() -> dict:
    cutoff = datetime.now(timezone.utc) - timedelta(days=30)
    with engine.begin() as conn:
        permits = conn.execute(
            text("DELETE FROM crossing_permits WHERE expires_at < :cutoff"), {"cutoff": cutoff}
        ).rowcount
        windows = conn.execute(
            text(
                "DELETE FROM crossing_windows w WHERE w.closes_at < :cutoff "
                "AND NOT EXISTS (SELECT 1 FROM crossing_permits p WHERE p.window_id = w.id)"
            ),
            {"cutoff": cutoff},
        ).rowcount
    log.info("purged %d expired permits and %d old windows", permits, windows)
    return {"permits": permits, "windows": windows}
