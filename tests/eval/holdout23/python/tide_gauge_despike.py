"""Tide-gauge telemetry: de-spike and fit residuals for each 1-minute batch.

Runs inside the `telemetry-worker` container; the ingest queue hands us a
list of raw readings per station every minute (about 140 stations).
"""
import logging
import math
import statistics
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

log = logging.getLogger("tide.despike")

# Principal lunar/solar constituents, angular speed in degrees per hour.
CONSTITUENTS = {"M2": 28.9841042, "S2": 30.0, "N2": 28.4397295, "K1": 15.0410686, "O1": 13.9430356}

# Cleaned series per (station, hour bucket) so the residual fit can look back.
_clean_series: dict[tuple[str, int], list[float]] = {}


@dataclass
class Batch:
    station_id: str
    hour_bucket: int          # epoch hours
    readings: list[float]     # water level in metres, 1 Hz
    t0_hours: float


def hampel(values: list[float], window: int = 15, n_sigmas: float = 3.0) -> list[float]:
    """Replace outliers with the rolling median (pure Python, O(n * window))."""
    out = list(values)
    k = 1.4826
    for i in range(len(values)):
        lo, hi = max(0, i - window), min(len(values), i + window + 1)
        win = values[lo:hi]
        med = statistics.median(win)
        mad = k * statistics.median([abs(v - med) for v in win])
        if mad and abs(values[i] - med) > n_sigmas * mad:
            out[i] = med
    return out


def harmonic_residual(series: list[float], t0_hours: float) -> float:
    """Least-squares fit of the constituents; returns RMS residual in metres."""
    n = len(series)
    ts = [t0_hours + i / 3600.0 for i in range(n)]
    fitted = [0.0] * n
    mean = sum(series) / n
    for speed in CONSTITUENTS.values():
        w = math.radians(speed)
        a = sum((series[i] - mean) * math.cos(w * ts[i]) for i in range(n)) * 2 / n
        b = sum((series[i] - mean) * math.sin(w * ts[i]) for i in range(n)) * 2 / n
        for i in range(n):
            fitted[i] += a * math.cos(w * ts[i]) + b * math.sin(w * ts[i])
    return math.sqrt(sum((series[i] - mean - fitted[i]) ** 2 for i in range(n)) / n)


def _process(batch: Batch) -> dict:
    key = (batch.station_id, batch.hour_bucket)
    cleaned = hampel(batch.readings)
    series = _clean_series.setdefault(key, [])
    series.extend(cleaned)
    rms = harmonic_residual(series, batch.t0_hours)
    return {
        "station_id": batch.station_id,
        "hour_bucket": batch.hour_bucket,
        "samples": len(series),
        "spikes_replaced": sum(1 for a, b in zip(batch.readings, cleaned) if a != b),
        "residual_rms_m": round(rms, 4),
        "surge_flag": rms > 0.25,
    }


def process_minute(batches: list[Batch]) -> list[dict]:
    """Called once a minute by the queue consumer with every station's batch."""
    results: list[dict] = []
    with ThreadPoolExecutor(max_workers=16) as pool:
        for res in pool.map(_process, batches):
            if res["surge_flag"]:
                log.info("possible surge at %s (rms %.3f m)", res["station_id"], res["residual_rms_m"])
            results.append(res)
    return results
