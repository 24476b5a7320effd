"""Transient-slip pricing for the marina booking site.

Nightly rate = base rate for the slip class x season factor, plus a surcharge
when the forecast tide at the berth is too low for the boat's draft.
"""
import json
import logging
import random
import time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import httpx

log = logging.getLogger(__name__)

# One shared client for the whole process; timeouts live on the client.
_tides = httpx.Client(
    base_url="https://tides.harbourdata.example/api/v1",
    timeout=httpx.Timeout(5.0, connect=2.0),
    limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
    headers={"User-Agent": "marina-booking/2.3"},
)

# Loaded once at import from the config repo; read-only afterwards.
SLIP_CLASSES: dict[str, dict] = {
    c["code"]: c
    for c in json.loads((Path(__file__).parent / "slip_classes.json").read_text())
}

MAX_ATTEMPTS = 4


def _get_with_retry(path: str, params: dict) -> dict:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            resp = _tides.get(path, params=params)
            resp.raise_for_status()
            return resp.json()
        except (httpx.TransportError, httpx.HTTPStatusError) as exc:
            retriable = not isinstance(exc, httpx.HTTPStatusError) or exc.response.status_code >= 500
            if not retriable or attempt == MAX_ATTEMPTS:
                log.error("tide API %s failed after %d attempts: %s", path, attempt, exc)
                raise
            delay = min(8.0, 0.5 * 2 ** (attempt - 1)) * random.uniform(0.5, 1.5)
            log.warning("tide API %s attempt %d failed (%s), retrying in %.1fs", path, attempt, exc, delay)
            time.sleep(delay)


@lru_cache(maxsize=256)
def station_for_berth(berth_code: str) -> str:
    """Nearest tide station for a berth -- stations don't move, cache it."""
    return _get_with_retry("/stations/nearest", {"berth": berth_code})["station_id"]


def low_water_m(berth_code: str, night: str) -> float:
    station = station_for_berth(berth_code)
    data = _get_with_retry(f"/stations/{station}/predictions", {"date": night, "type": "low"})
    return min(p["height_m"] for p in data["predictions"])


def nightly_rate(slip_class: str, boat_draft_m: float, berth_code: str, night: str,
                 season_factor: Decimal) -> Decimal:
    cls = SLIP_CLASSES[slip_class]
    rate = Decimal(cls["base_rate"]) * season_factor
    depth = cls["depth_at_datum_m"] + low_water_m(berth_code, night)
    if depth < boat_draft_m + 0.3:
        # tender-only berth at low water: charge the mooring-ball surcharge
        rate += Decimal(cls["shallow_surcharge"])
    return rate.quantize(Decimal("0.01"))
