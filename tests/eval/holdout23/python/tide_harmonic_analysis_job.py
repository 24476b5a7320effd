#!/usr/bin/env python3
"""Nightly harmonic analysis of tide-gauge telemetry.

Reads each station's last 30 days of 1-minute levels (Parquet, written by the
ingest service), fits the main tidal constituents and writes the amplitudes
and phases back for the prediction service. The fit is pure-Python number
crunching, so it runs in worker processes, one per core.
"""
import argparse
import json
import logging
import math
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import lru_cache
from pathlib import Path

import pyarrow.parquet as pq

log = logging.getLogger("tide.harmonics")

SPEEDS_DEG_PER_HOUR = {
    "M2": 28.9841042, "S2": 30.0, "N2": 28.4397295, "K2": 30.0821373,
    "K1": 15.0410686, "O1": 13.9430356, "P1": 14.9589314, "M4": 57.9682084,
}


@lru_cache(maxsize=64)
def basis(n_samples: int, step_hours: float, name: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """cos/sin columns for one constituent; identical for every station with the same length."""
    w = math.radians(SPEEDS_DEG_PER_HOUR[name])
    ts = [i * step_hours for i in range(n_samples)]
    return tuple(math.cos(w * t) for t in ts), tuple(math.sin(w * t) for t in ts)


def fit_station(path: str) -> dict:
    table = pq.read_table(path, columns=["level_m"])
    levels = table.column("level_m").to_pylist()
    n = len(levels)
    mean = sum(levels) / n
    detrended = [v - mean for v in levels]
    out = {"station": Path(path).stem, "samples": n, "msl_m": round(mean, 4), "constituents": {}}
    for name in SPEEDS_DEG_PER_HOUR:
        cos_col, sin_col = basis(n, 1 / 60, name)
        a = 2 / n * sum(d * c for d, c in zip(detrended, cos_col))
        b = 2 / n * sum(d * s for d, s in zip(detrended, sin_col))
        out["constituents"][name] = {
            "amplitude_m": round(math.hypot(a, b), 4),
            "phase_deg": round(math.degrees(math.atan2(b, a)) % 360, 2),
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--input-dir", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    files = sorted(str(p) for p in args.input_dir.glob("*.parquet"))
    log.info("fitting %d stations with %d processes", len(files), args.workers)

    results, failures = [], []
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = {pool.submit(fit_station, f): f for f in files}
        for fut in as_completed(futures):
            try:
                results.append(fut.result())
            except Exception:
                log.exception("fit failed for %s", futures[fut])
                failures.append(futures[fut])

    args.output.write_text(json.dumps(sorted(results, key=lambda r: r["station"]), indent=2))
    log.info("wrote %d station fits, %d failures", len(results), len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    raise SystemExit(main())
