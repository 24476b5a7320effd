"""Nightly melt-rate analysis for the Vatnajökull outlet sensor network.

Each station drops a day of 10-second ablation-stake readings as CSV on the
shared volume. We smooth them, fit a rolling melt rate and push a per-station
summary to the consortium portal.
"""
import csv
import logging
import math
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

log = logging.getLogger("melt")

DATA_DIR = Path(os.environ.get("MELT_DATA_DIR", "/srv/glacier/incoming"))
PORTAL_URL = os.environ["PORTAL_URL"]
WINDOW = 360  # one hour of 10 s samples

portal = requests.Session()
portal.headers["Authorization"] = f"Token {os.environ['PORTAL_TOKEN']}"


def load_readings(path: Path) -> list[tuple[float, float]]:
    with path.open() as fh:
        return [(float(r["t"]), float(r["surface_mm"])) for r in csv.DictReader(fh)]


def rolling_slope(points: list[tuple[float, float]], window: int) -> list[float]:
    """Least-squares slope over a sliding window, mm per hour."""
    slopes = []
    for i in range(len(points) - window):
        xs = [p[0] for p in points[i : i + window]]
        ys = [p[1] for p in points[i : i + window]]
        mx = sum(xs) / window
        my = sum(ys) / window
        num = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
        den = sum((x - mx) ** 2 for x in xs) or 1.0
        slopes.append(num / den * 3600)
    return slopes


def analyse_station(path: Path) -> dict:
    readings = load_readings(path)
    slopes = rolling_slope(readings, WINDOW)
    mean = sum(slopes) / len(slopes) if slopes else 0.0
    sd = math.sqrt(sum((s - mean) ** 2 for s in slopes) / len(slopes)) if slopes else 0.0
    return {
        "station": path.stem,
        "samples": len(readings),
        "melt_mm_per_h_mean": round(mean, 3),
        "melt_mm_per_h_sd": round(sd, 3),
        "peak_mm_per_h": round(max(slopes, default=0.0), 3),
    }


def upload_summaries(summaries: list[dict]) -> None:
    body = {"run_date": time.strftime("%Y-%m-%d"), "stations": summaries}
    for attempt in range(1, 6):
        try:
            resp = portal.post(f"{PORTAL_URL}/api/melt-summaries/batch", json=body, timeout=15)
            resp.raise_for_status()
            return
        except requests.RequestException as exc:
            log.warning("summary upload failed (attempt %d): %s", attempt, exc)
            time.sleep(3)
    raise RuntimeError("could not upload melt summaries")


def main() -> None:
    files = sorted(DATA_DIR.glob("*.csv"))
    log.info("analysing %d station files", len(files))
    with ThreadPoolExecutor(max_workers=8) as pool:
        summaries = list(pool.map(analyse_station, files))
    upload_summaries(summaries)
    log.info("done")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
