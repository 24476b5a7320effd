#!/usr/bin/env python3
"""Nightly rollup for the mushroom farm: pull each room controller's CSV export,
apply the probe calibration and write a per-room summary file.

Run from cron on the farm NUC:  grow_room_rollup.py --date 2024-05-01 --out /srv/rollups
Single process, exits when done.
"""
import argparse
import csv
import io
import json
import statistics
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import requests

CONTROLLERS = {f"room-{n:02d}": f"http://10.20.0.{100 + n}/export.csv" for n in range(1, 25)}


def load_calibration(path: Path) -> dict:
    with path.open() as fh:
        return {row["probe"]: float(row["offset"]) for row in csv.DictReader(fh)}


def download(session: requests.Session, room: str, url: str, day: str) -> tuple[str, str]:
    resp = session.get(url, params={"date": day}, timeout=(5, 60))
    resp.raise_for_status()
    return room, resp.text


def summarise(room: str, raw_csv: str, calibration: dict) -> dict:
    # CPU-heavy: ~170k rows per room per day
    temps, rh, co2 = [], [], []
    for row in csv.DictReader(io.StringIO(raw_csv)):
        off = calibration.get(row["probe"], 0.0)
        temps.append(float(row["temp_c"]) + off)
        rh.append(float(row["rh_pct"]))
        co2.append(float(row["co2_ppm"]))
    return {
        "room": room,
        "temp": {"mean": statistics.fmean(temps), "p95": statistics.quantiles(temps, n=20)[-1]},
        "rh": {"mean": statistics.fmean(rh), "min": min(rh)},
        "co2": {"mean": statistics.fmean(co2), "max": max(co2)},
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--date", required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--calibration", type=Path, default=Path("/etc/growhouse/calibration.csv"))
    args = ap.parse_args()

    calibration = load_calibration(args.calibration)   # read once, never changes during the run

    # network-bound: threads are fine here
    with requests.Session() as session, ThreadPoolExecutor(max_workers=8) as io_pool:
        exports = list(io_pool.map(lambda kv: download(session, kv[0], kv[1], args.date), CONTROLLERS.items()))

    # CPU-bound parsing/stats: use processes so we actually use all 4 cores
    with ProcessPoolExecutor() as cpu_pool:
        futures = [cpu_pool.submit(summarise, room, raw, calibration) for room, raw in exports]
        summaries = [f.result() for f in futures]

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"rollup-{args.date}.json").write_text(json.dumps(summaries, indent=2))
    print(f"wrote {len(summaries)} room summaries")


if __name__ == "__main__":
    main()
