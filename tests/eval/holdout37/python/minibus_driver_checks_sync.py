"""Nightly sync of volunteer minibus drivers' MiDAS and DBS check status.

The county transport office exposes a batch lookup endpoint; we ask about
up to 100 drivers per call and mark anyone whose check has lapsed as
unavailable on the roster.
"""
import logging
import random
import time

import requests
from celery import shared_task
from requests.adapters import HTTPAdapter
from sqlalchemy import bindparam, select, update

from .db import SessionLocal
from .models import Driver

log = logging.getLogger(__name__)

CHECKS_URL = "https://transport.county.example/api/driver-checks/lookup"
BATCH_SIZE = 100
MAX_ATTEMPTS = 5
BASE_DELAY = 0.5
MAX_DELAY = 20.0

http = requests.Session()
http.mount("https://", HTTPAdapter(pool_connections=2, pool_maxsize=4))


class TransientError(Exception):
    pass


def _lookup(driver_refs: list[str]) -> dict[str, dict]:
    for attempt in range(MAX_ATTEMPTS):
        try:
            resp = http.post(CHECKS_URL, json={"refs": driver_refs}, timeout=(3, 15))
            if resp.status_code in (429, 502, 503, 504):
                raise TransientError(f"status {resp.status_code}")
            resp.raise_for_status()
            return {r["ref"]: r for r in resp.json()["results"]}
        except (requests.ConnectionError, requests.Timeout, TransientError) as exc:
            if attempt == MAX_ATTEMPTS - 1:
                log.error("driver check lookup gave up after %d attempts", MAX_ATTEMPTS)
                raise
            # full jitter, capped
            delay = random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2 ** attempt))
            log.warning("lookup failed (%s); retrying in %.1fs", exc, delay)
            time.sleep(delay)
    raise RuntimeError("unreachable")


@shared_task(name="minibus.sync_driver_checks", acks_late=True)
def sync_driver_checks() -> int:
    lapsed = 0
    last_id = 0
    with SessionLocal() as db:
        while True:
            drivers = db.execute(
                select(Driver.id, Driver.licence_ref)
                .where(Driver.active.is_(True), Driver.id > last_id)
                .order_by(Driver.id)
                .limit(BATCH_SIZE)
            ).all()
            if not drivers:
                break
            last_id = drivers[-1].id

            results = _lookup([d.licence_ref for d in drivers])
            changes = [
                {
                    "driver_id": d.id,
                    "ok": results.get(d.licence_ref, {}).get("status") == "valid",
                }
                for d in drivers
            ]
            drivers_table = Driver.__table__
            db.connection().execute(
                update(drivers_table)
                .where(drivers_table.c.id == bindparam("driver_id"))
                .values(checks_valid=bindparam("ok")),
                changes,
            )
            db.commit()
            lapsed += sum(1 for c in changes if not c["ok"])

    log.info("driver check sync done, %d drivers not cleared", lapsed)
    return lapsed
