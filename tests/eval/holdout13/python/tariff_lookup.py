"""Tariff and calendar lookups shared by the billing API and the Celery workers.

Tariff schedules are effective-dated and immutable once published, so caching a
(code, effective_date) pair for the life of the process is safe.
"""
import functools
import json
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import requests
from cachetools import TTLCache, cached
from sqlalchemy import text

from meterbill.db import engine

CALENDAR_API = "https://calendar.gridco.net/v1/holidays"

# Static reference data shipped with each release; read once at import, never written again.
TARIFF_CODES: dict[str, dict] = {
    row["code"]: row
    for row in json.loads(Path(__file__).with_name("tariff_codes.json").read_text())
}

_session = requests.Session()
_session.headers["User-Agent"] = "meterbill/2.3"


@dataclass(frozen=True)
class Tier:
    upto_kwh: Decimal
    peak_rate: Decimal
    offpeak_rate: Decimal


@functools.lru_cache(maxsize=1024)
def tiers_for(tariff_code: str, effective: date) -> tuple[Tier, ...]:
    if tariff_code not in TARIFF_CODES:
        raise KeyError(f"unknown tariff {tariff_code!r}")
    with engine.connect() as conn:
        rows = conn.execute(text("""
            SELECT upto_kwh, peak_rate, offpeak_rate
            FROM tariff_tiers
            WHERE tariff_code = :code
              AND effective_from = (SELECT max(effective_from) FROM tariff_tiers
                                    WHERE tariff_code = :code AND effective_from <= :d)
            ORDER BY upto_kwh
        """), {"code": tariff_code, "d": effective}).all()
    return tuple(Tier(*r) for r in rows)


_holiday_cache: TTLCache = TTLCache(maxsize=64, ttl=6 * 3600)
_holiday_lock = threading.Lock()


@cached(_holiday_cache, lock=_holiday_lock)
def holidays_for(region: str, year: int) -> frozenset[date]:
    """Public holidays are billed at the off-peak rate."""
    resp = _session.get(CALENDAR_API, params={"region": region, "year": year}, timeout=(3, 10))
    resp.raise_for_status()
    return frozenset(date.fromisoformat(d) for d in resp.json()["dates"])


def describe(tariff_code: str) -> str:
    return TARIFF_CODES[tariff_code]["display_name"]
