"""Housekeeping tasks for the community sauna booking service (Celery beat).

* purge_expired_holds: bench holds last 10 minutes; expired ones are deleted
  in small batches so the table stays small and vacuum keeps up.
* push_daily_rota: sends tomorrow's session list to the volunteer rota app.
"""
import logging
import random
import time

import httpx
from celery import shared_task
from sqlalchemy import text

from saunas.db import engine
from saunas.settings import ROTA_API_URL, ROTA_API_TOKEN

log = logging.getLogger(__name__)

BATCH_SIZE = 2000
MAX_ATTEMPTS = 5
BASE_DELAY = 0.5
MAX_DELAY = 20.0

rota_client = httpx.Client(
    base_url=ROTA_API_URL,
    headers={"Authorization": f"Bearer {ROTA_API_TOKEN}"},
    timeout=httpx.Timeout(10.0, connect=3.0),
)

PURGE_SQL = text(
    """
    DELETE FROM sauna_holds
    WHERE id IN (
        SELECT id FROM sauna_holds
        WHERE expires_at < now() - interval '1 hour'
        ORDER BY id
        LIMIT :batch
    )
    """
)


@shared_task
def purge_expired_holds() -> int:
    total = 0
    while True:
        with engine.begin() as conn:
            deleted = conn.execute(PURGE_SQL, {"batch": BATCH_SIZE}).rowcount
        total += deleted
        if deleted < BATCH_SIZE:
            break
    log.info("purged %d expired sauna holds", total)
    return total


def _post_with_backoff(path: str, payload: dict) -> httpx.Response:
    """POST with capped exponential backoff and full jitter on 5xx/transport errors."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            resp = rota_client.post(path, json=payload)
            if resp.status_code < 500:
                resp.raise_for_status()
                return resp
            log.warning("rota API returned %s (attempt %d)", resp.status_code, attempt + 1)
        except httpx.TransportError as exc:
            log.warning("rota API transport error (attempt %d): %s", attempt + 1, exc)
            if attempt == MAX_ATTEMPTS - 1:
                raise
        if attempt < MAX_ATTEMPTS - 1:
            delay = min(MAX_DELAY, BASE_DELAY * 2 ** attempt)
            time.sleep(random.uniform(0, delay))
    raise RuntimeError(f"rota API still failing after {MAX_ATTEMPTS} attempts")


@shared_task
def push_daily_rota() -> None:
    with engine.connect() as conn:
        sessions = conn.execute(
            text(
                "SELECT id, starts_at, benches, host_volunteer_id FROM sauna_sessions "
                "WHERE starts_at >= current_date + 1 AND starts_at < current_date + 2 "
                "ORDER BY starts_at LIMIT 48"
            )
        ).mappings().all()
    payload = {
        "sessions": [
            {**s, "starts_at": s["starts_at"].isoformat()} for s in sessions
        ]
    }
    _post_with_backoff("/v1/rota/import", payload)
    log.info("pushed %d sessions to the rota app", len(sessions))
