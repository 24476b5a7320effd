"""Spoilage forecast for the farmers' co-op grain silos.

Each silo reports a temperature/moisture profile from its cable sensors every
hour. We run a simple 1-D heat and moisture diffusion model forward 14 days to
flag silos that need aeration. Called from the co-op dashboard's
/silos/forecast endpoint.
"""
from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

STEPS_PER_DAY = 96          # 15-minute steps
FORECAST_DAYS = 14
LAYERS = 40                 # vertical slices of the grain column


@dataclass(frozen=True)
class SiloReading:
    silo_id: int
    taken_at: str            # ISO timestamp of the sensor sweep
    temps_c: tuple[float, ...]
    moisture_pct: tuple[float, ...]
    ambient_c: float


# (silo_id, taken_at) -> forecast, so repeated dashboard loads are instant
_forecast_cache: dict[tuple[int, str], dict] = {}


def _simulate(reading: SiloReading) -> dict:
    temps = list(reading.temps_c)
    moist = list(reading.moisture_pct)
    n = len(temps)
    alpha, beta, dt = 0.08, 0.02, 1.0 / STEPS_PER_DAY
    peak_temp, hotspot_layer = max(temps), temps.index(max(temps))

    for _ in range(STEPS_PER_DAY * FORECAST_DAYS):
        new_t = temps[:]
        new_m = moist[:]
        for i in range(1, n - 1):
            lap_t = temps[i - 1] - 2 * temps[i] + temps[i + 1]
            lap_m = moist[i - 1] - 2 * moist[i] + moist[i + 1]
            # respiration heat rises sharply above ~14 % moisture
            resp = 0.015 * math.exp(0.35 * max(moist[i] - 14.0, 0.0))
            new_t[i] = temps[i] + dt * (alpha * lap_t * STEPS_PER_DAY + resp)
            new_m[i] = moist[i] + dt * beta * lap_m * STEPS_PER_DAY
        new_t[0] = new_t[-1] = reading.ambient_c
        temps, moist = new_t, new_m
        hottest = max(temps)
        if hottest > peak_temp:
            peak_temp, hotspot_layer = hottest, temps.index(hottest)

    return {
        "silo_id": reading.silo_id,
        "peak_temp_c": round(peak_temp, 2),
        "hotspot_layer": hotspot_layer,
        "needs_aeration": peak_temp > 25.0 or max(moist) > 15.5,
    }


def forecast(reading: SiloReading) -> dict:
    key = (reading.silo_id, reading.taken_at)
    cached = _forecast_cache.get(key)
    if cached is not None:
        return cached
    result = _simulate(reading)
    _forecast_cache[key] = result
    return result


def forecast_all(readings: list[SiloReading]) -> list[dict]:
    """Run the model for every silo in parallel and return worst first."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(forecast, readings))
    return sorted(results, key=lambda r: r["peak_temp_c"], reverse=True)
