"""Celery tasks for the foraging permit desk.

A forager picks an area and a date on the website; we place a 30-minute hold
on one of the area's daily permits while they fill in the form and pay, then
confirm with the landowner's registry.
"""
import logging
import time
from datetime import datetime, timedelta, timezone

import requests
from celery import shared_task
from django.conf import settings
from django.db import connection, transaction

log = logging.getLogger(__name__)

HOLD_MINUTES = 30
REGISTRY_URL = settings.LANDOWNER_REGISTRY_URL  # e.g. https://registry.forestry.example/api


@shared_task
def place_hold(area_id: int, forage_date: str, forager_id: int) -> dict:
    expires_at = datetime.now(timezone.utc) + timedelta(minutes=HOLD_MINUTES)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "UPDATE area_daily_quota SET held = held + 1 "
            "WHERE area_id = %s AND forage_date = %s AND held + issued < daily_limit",
            [area_id, forage_date],
        )
        if cur.rowcount == 0:
            return {"ok": False, "reason": "no permits left for that day"}
        cur.execute(
            "INSERT INTO permit_holds (area_id, forage_date, forager_id, expires_at) "
            "VALUES (%s, %s, %s, %s) RETURNING id",
            [area_id, forage_date, forager_id, expires_at],
        )
        hold_id = cur.fetchone()[0]
    return {"ok": True, "hold_id": hold_id, "expires_at": expires_at.isoformat()}


def _notify_registry(permit: dict) -> dict:
    attempts = 0
    while True:
        attempts += 1
        try:
            resp = requests.post(
                f"{REGISTRY_URL}/permits",
                json=permit,
                headers={"Authorization": f"Token {settings.REGISTRY_TOKEN}"},
            )
            resp.raise_for_status()
            return resp.json()
        except requests.RequestException as exc:
            log.warning("registry call failed (attempt %d): %s", attempts, exc)
            time.sleep(2)


@shared_task
def confirm_permit(hold_id: int, payment_ref: str) -> dict:
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "SELECT area_id, forage_date, forager_id FROM permit_holds "
            "WHERE id = %s AND expires_at > now() AND confirmed_permit_id IS NULL FOR UPDATE",
            [hold_id],
        )
        row = cur.fetchone()
        if row is None:
            return {"ok": False, "reason": "hold expired or already used"}
        area_id, forage_date, forager_id = row
        cur.execute(
            "UPDATE area_daily_quota SET held = held - 1, issued = issued + 1 "
            "WHERE area_id = %s AND forage_date = %s",
            [area_id, forage_date],
        )
        cur.execute(
            "INSERT INTO permits (area_id, forage_date, forager_id, payment_ref) "
            "VALUES (%s, %s, %s, %s) RETURNING id",
            [area_id, forage_date, forager_id, payment_ref],
        )
        permit_id = cur.fetchone()[0]
        cur.execute("UPDATE permit_holds SET confirmed_permit_id = %s WHERE id = %s", [permit_id, hold_id])

    registry_ref = _notify_registry(
        {"permit_id": permit_id, "area_id": area_id, "date": str(forage_date), "forager": forager_id}
    )
    log.info("permit %s registered as %s", permit_id, registry_ref.get("reference"))
    return {"ok": True, "permit_id": permit_id}
