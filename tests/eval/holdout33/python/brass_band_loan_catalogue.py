"""Instrument loan catalogue for the Greenfield Silver Band junior section.

The catalogue page lists every instrument the band owns (about 140), who has
it on loan, the last service date and the insured value from the broker.
"""
import json
import logging
import time

import httpx
import redis
from sqlalchemy import text

from band.db import engine
from band.settings import settings

log = logging.getLogger(__name__)

r = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, decode_responses=True)
broker = httpx.Client(base_url=settings.BROKER_API, timeout=httpx.Timeout(8.0))

CATALOGUE_KEY = "band:loan-catalogue:v2"
CATALOGUE_TTL = 300
MAX_ATTEMPTS = 4

CATALOGUE_SQL = text(
    """
    SELECT i.id, i.kind, i.maker, i.serial_no,
           m.name AS borrower, l.loaned_on, l.due_back,
           max(s.serviced_on) AS last_service
    FROM instruments i
    LEFT JOIN loans l ON l.instrument_id = i.id AND l.returned_on IS NULL
    LEFT JOIN members m ON m.id = l.member_id
    LEFT JOIN services s ON s.instrument_id = i.id
    GROUP BY i.id, m.name, l.loaned_on, l.due_back
    ORDER BY i.kind, i.serial_no
    """
)


def fetch_valuations(serials: list[str]) -> dict[str, int]:
    """Insured values from the broker's schedule API, keyed by serial number."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            resp = broker.post("/v1/schedules/lookup", json={"serials": serials})
            resp.raise_for_status()
            return {row["serial"]: row["insured_value_pence"] for row in resp.json()["items"]}
        except httpx.HTTPError as exc:
            log.warning("broker lookup failed (attempt %d): %s", attempt, exc)
            if attempt == MAX_ATTEMPTS:
                raise
            time.sleep(0.5)
    return {}


def build_catalogue() -> list[dict]:
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(CATALOGUE_SQL)]
    values = fetch_valuations([row["serial_no"] for row in rows])
    for row in rows:
        row["insured_value_pence"] = values.get(row["serial_no"])
        for key in ("loaned_on", "due_back", "last_service"):
            if row[key] is not None:
                row[key] = row[key].isoformat()
    return rows


def get_catalogue() -> list[dict]:
    cached = r.get(CATALOGUE_KEY)
    if cached is not None:
        return json.loads(cached)
    catalogue = build_catalogue()
    r.set(CATALOGUE_KEY, json.dumps(catalogue), ex=CATALOGUE_TTL)
    return catalogue
