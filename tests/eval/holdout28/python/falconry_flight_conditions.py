"""Morning flight-conditions check for the falconry display team.

Pulls the hourly wind/gust forecast for every display site in one request,
then runs the thermal/turbulence model for each site (pure Python,
CPU heavy) in a process pool and writes go/no-go advice for each display slot.
"""
import logging
import math
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache

import httpx

log = logging.getLogger("flight_conditions")

FORECAST_URL = os.environ.get("FORECAST_URL", "https://api.met-forecasts.example/v2/hourly")
client = httpx.Client(
    timeout=httpx.Timeout(10.0, connect=3.0),
    limits=httpx.Limits(max_connections=10, max_keepalive_connections=5),
    headers={"Authorization": f"Bearer {os.environ.get('FORECAST_TOKEN', '')}"},
)

MAX_ATTEMPTS = 5
BASE_DELAY = 0.5
MAX_DELAY = 20.0


def fetch_forecasts(site_codes: list[str]) -> dict:
    """One batched call for all sites, retried with capped exponential backoff and full jitter."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            resp = client.get(FORECAST_URL, params={"sites": ",".join(site_codes), "hours": 12})
            resp.raise_for_status()
            return resp.json()["sites"]
        except (httpx.TransportError, httpx.HTTPStatusError) as exc:
            if attempt == MAX_ATTEMPTS - 1:
                log.error("forecast fetch failed after %d attempts: %s", MAX_ATTEMPTS, exc)
                raise
            delay = random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2 ** attempt))
            log.warning("forecast fetch attempt %d failed (%s); retrying in %.1fs", attempt + 1, exc, delay)
            time.sleep(delay)
    raise AssertionError("unreachable")


@lru_cache(maxsize=256)
def species_wind_limit(species: str, weight_class: str) -> float:
    base = {"harris_hawk": 11.0, "barn_owl": 6.5, "peregrine": 14.0, "kestrel": 8.0}.get(species, 7.0)
    return base * {"light": 0.85, "standard": 1.0, "heavy": 1.1}[weight_class]


def turbulence_index(hours: list[dict], terrain_roughness: float) -> list[float]:
    """Iterative eddy model over 12 hours x 60 minute steps x 200 height layers."""
    out = []
    for h in hours:
        energy = 0.0
        for minute in range(60):
            for layer in range(1, 201):
                shear = h["gust_ms"] * math.log(layer * 0.5 / terrain_roughness + 1)
                energy = 0.995 * energy + 1e-4 * shear * shear * (1 + math.sin(minute / 9.5))
        out.append(round(energy, 3))
    return out


def _site_job(args: tuple) -> tuple[str, list[float]]:
    code, hours, roughness = args
    return code, turbulence_index(hours, roughness)


def run(sites: list[dict], slots: list[dict]) -> list[dict]:
    forecasts = fetch_forecasts([s["code"] for s in sites])
    jobs = [(s["code"], forecasts[s["code"]], s["roughness_m"]) for s in sites]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        turbulence = dict(pool.map(_site_job, jobs))

    advice = []
    for slot in slots:
        hour = slot["hour_index"]
        wind = forecasts[slot["site"]][hour]["wind_ms"]
        limit = species_wind_limit(slot["species"], slot["weight_class"])
        rough = turbulence[slot["site"]][hour]
        go = wind <= limit and rough < 4.0
        advice.append({"slot_id": slot["id"], "go": go, "wind_ms": wind, "limit_ms": limit, "turbulence": rough})
    return advice
