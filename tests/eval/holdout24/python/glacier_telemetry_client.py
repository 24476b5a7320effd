"""Pulls raw readings from the glacier sensor gateways into Postgres.

The gateways sit on a satellite uplink, so calls are slow and flaky: every
request has a timeout, failures are retried with capped exponential backoff
and full jitter, and a gateway that stays down is reported, not skipped.
"""
import logging
import random
import time
from functools import lru_cache

import httpx
import psycopg

log = logging.getLogger("glacier.ingest")

MAX_ATTEMPTS = 6
BASE_DELAY_S = 1.0
MAX_DELAY_S = 60.0
PAGE_SIZE = 2000

client = httpx.Client(
    timeout=httpx.Timeout(20.0, connect=5.0),
    limits=httpx.Limits(max_connections=8, max_keepalive_connections=4),
    headers={"User-Agent": "glacier-ingest/2.3"},
)


class GatewayUnavailable(Exception):
    pass


@lru_cache(maxsize=256)
def calibration(station_id: str, sensor: str) -> tuple[float, float]:
    """Offset/scale from the station's calibration sheet (changes once a season)."""
    resp = get_json(f"https://gw.glacier-net.example/stations/{station_id}/calibration/{sensor}")
    return resp["offset"], resp["scale"]


def get_json(url: str, params: dict | None = None) -> dict:
    for attempt in range(MAX_ATTEMPTS):
        try:
            resp = client.get(url, params=params)
            if resp.status_code < 500:
                resp.raise_for_status()
                return resp.json()
            log.warning("gateway %s answered %s", url, resp.status_code)
        except httpx.TransportError as exc:
            log.warning("gateway %s transport error: %s", url, exc)
        if attempt == MAX_ATTEMPTS - 1:
            break
        delay = min(MAX_DELAY_S, BASE_DELAY_S * 2**attempt)
        time.sleep(random.uniform(0, delay))
    raise GatewayUnavailable(url)


def ingest_station(conn: psycopg.Connection, station_id: str, since: str) -> int:
    offset, scale = calibration(station_id, "ablation")
    cursor = None
    stored = 0
    while True:
        page = get_json(
            f"https://gw.glacier-net.example/stations/{station_id}/readings",
            params={"since": since, "limit": PAGE_SIZE, "cursor": cursor},
        )
        rows = [
            (station_id, r["ts"], r["raw"] * scale + offset, r.get("battery_v"))
            for r in page["readings"]
        ]
        with conn.cursor() as cur:
            cur.executemany(
                """INSERT INTO melt_readings (station_id, ts, surface_mm, battery_v)
                   VALUES (%s, %s, %s, %s)
                   ON CONFLICT (station_id, ts) DO NOTHING""",
                rows,
            )
        conn.commit()
        stored += len(rows)
        cursor = page.get("next_cursor")
        if not cursor:
            return stored
