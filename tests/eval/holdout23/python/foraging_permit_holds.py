"""Permit holds for the mushroom foraging permit desk.

Each woodland area issues a fixed number of day permits. While a forager
fills in the form we keep a 20-minute hold; holds that run out are released
by the sweeper below (Celery beat, every minute) so the quota comes back.
"""
import logging
import random
import time
from datetime import timedelta

import requests
from celery import shared_task
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

log = logging.getLogger(__name__)

HOLD_TTL = timedelta(minutes=20)
registry = requests.Session()
registry.headers["Authorization"] = f"Token {settings.REGISTRY_TOKEN}"


def place_hold(area_id: int, forage_date, forager_id: int) -> int | None:
    """Returns the hold id, or None when the day is fully booked."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "UPDATE area_daily_quota SET held = held + 1 "
            "WHERE area_id = %s AND forage_date = %s AND held + issued < daily_limit",
            [area_id, forage_date],
        )
        if cur.rowcount != 1:
            return None
        cur.execute(
            "INSERT INTO permit_holds (area_id, forage_date, forager_id, expires_at) "
            "VALUES (%s, %s, %s, %s) RETURNING id",
            [area_id, forage_date, forager_id, timezone.now() + HOLD_TTL],
        )
        return cur.fetchone()[0]


@shared_task
def release_expired_holds(batch_size: int = 500) -> int:
    """Delete expired holds; unconfirmed ones hand their place back to the quota."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            """
            WITH expired AS (
                SELECT id FROM permit_holds
                WHERE expires_at < now()
                ORDER BY expires_at
                LIMIT %s
                FOR UPDATE SKIP LOCKED
            ), gone AS (
                DELETE FROM permit_holds h USING expired e
                WHERE h.id = e.id
                RETURNING h.area_id, h.forage_date, h.confirmed_permit_id
            )
            UPDATE area_daily_quota q
            SET held = q.held - g.n
            FROM (SELECT area_id, forage_date, count(*) AS n FROM gone
                  WHERE confirmed_permit_id IS NULL GROUP BY 1, 2) g
            WHERE q.area_id = g.area_id AND q.forage_date = g.forage_date
            """,
            [batch_size],
        )
        released = cur.rowcount
    if released:
        log.info("released expired holds across %d area-days", released)
    return released


def register_permit(permit: dict, max_attempts: int = 5) -> dict:
    """POST to the landowner registry with capped exponential backoff and full jitter."""
    for attempt in range(max_attempts):
        try:
            resp = registry.post(f"{settings.LANDOWNER_REGISTRY_URL}/permits", json=permit,
                                 timeout=(3, 10))
            if resp.status_code < 500:
                resp.raise_for_status()
                return resp.json()
            log.warning("registry returned %s (attempt %d)", resp.status_code, attempt + 1)
        except (requests.ConnectionError, requests.Timeout) as exc:
            log.warning("registry unreachable (attempt %d): %s", attempt + 1, exc)
        if attempt + 1 < max_attempts:
            time.sleep(random.uniform(0, min(30.0, 0.5 * 2 ** attempt)))
    raise RuntimeError(f"registry rejected permit {permit.get('permit_id')} after {max_attempts} attempts")
