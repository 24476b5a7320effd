import hashlib
import hmac
import logging

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from sqlalchemy import text
from sqlalchemy.orm import Session

from floodwatch.db import get_db
from floodwatch.settings import settings
from floodwatch.tasks import fan_out_level_alert

log = logging.getLogger("floodwatch.webhooks")
router = APIRouter()


def _check_signature(raw: bytes, signature: str) -> None:
    digest = hmac.new(settings.gaugenet_secret.encode(), raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(digest, signature):
        raise HTTPException(status_code=401, detail="invalid signature")


@router.post("/webhooks/gaugenet/readings")
async def gaugenet_reading(
    request: Request,
    x_gaugenet_signature: str = Header(...),
    db: Session = Depends(get_db),
):
    """GaugeNet pushes a reading whenever a station crosses a threshold.

    GaugeNet redelivers on any non-2xx and sometimes twice on success, so the
    event id is recorded in the same transaction as the reading.
    """
    raw = await request.body()
    _check_signature(raw, x_gaugenet_signature)
    event = await request.json()

    first_time = db.execute(
        text(
            "INSERT INTO gaugenet_events (event_id, received_at) VALUES (:id, now()) "
            "ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
        ),
        {"id": event["event_id"]},
    ).scalar()
    if first_time is None:
        db.rollback()
        return {"status": "duplicate"}

    reading = event["reading"]
    alert_id = db.execute(
        text(
            """
            WITH r AS (
                INSERT INTO level_readings (station_id, measured_at, level_m, trend)
                VALUES (:station, :at, :level, :trend)
                RETURNING station_id, level_m
            )
            INSERT INTO level_alerts (station_id, level_m, severity, created_at)
            SELECT r.station_id, r.level_m, t.severity, now()
              FROM r
              JOIN station_thresholds t
                ON t.station_id = r.station_id AND r.level_m >= t.level_m
             ORDER BY t.level_m DESC
             LIMIT 1
            RETURNING id
            """
        ),
        {
            "station": reading["station_id"],
            "at": reading["measured_at"],
            "level": reading["level_m"],
            "trend": reading.get("trend", "steady"),
        },
    ).scalar()

    try:
        db.commit()
    except Exception:
        db.rollback()
        log.exception("failed to store GaugeNet event %s", event["event_id"])
        raise

    if alert_id is not None:
        # texting subscribers happens on the worker, not in this request
        fan_out_level_alert.delay(alert_id)
    return {"status": "stored", "alert_id": alert_id}
