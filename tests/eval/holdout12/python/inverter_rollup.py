#!/usr/bin/env python3
"""Nightly rollup of inverter telemetry.

Each site uploads one CSV per inverter per day to /data/incoming/<site>/<date>/
(~1-second samples, 86k rows per file, ~3,000 files a night). We parse them,
resample to 15-minute buckets, compute yield / performance ratio and write the
rollups to Postgres.

cron: 15 2 * * *  /opt/solar/venv/bin/python inverter_rollup.py --date yesterday
"""
import argparse
import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg2
import psycopg2.extras

log = logging.getLogger("rollup")
INCOMING = Path("/data/incoming")
WORKERS = 16


def rollup_file(path: Path) -> pd.DataFrame | None:
    try:
        df = pd.read_csv(path, parse_dates=["ts"], index_col="ts")
        df = df[(df["ac_power_w"] >= 0) & (df["ac_power_w"] < 250_000)]
        out = df.resample("15min").agg({
            "ac_power_w": "mean",
            "dc_power_w": "mean",
            "irradiance_wm2": "mean",
            "module_temp_c": "max",
        })
        out["energy_kwh"] = out["ac_power_w"] * 0.25 / 1000
        expected = out["irradiance_wm2"] / 1000 * df.attrs.get("kwp", 1.0) * 0.25
        out["perf_ratio"] = np.where(expected > 0, out["energy_kwh"] / expected, np.nan)
        out["inverter_id"] = path.stem
        out["site_id"] = path.parent.parent.name
        return out.reset_index()
    except Exception:
        return None


def write_rollups(conn, frames: list[pd.DataFrame]) -> int:
    df = pd.concat(frames, ignore_index=True)
    rows = list(df[["site_id", "inverter_id", "ts", "energy_kwh", "perf_ratio",
                    "module_temp_c"]].itertuples(index=False, name=None))
    with conn.cursor() as cur:
        psycopg2.extras.execute_values(cur, """
            INSERT INTO inverter_rollup_15m
                (site_id, inverter_id, bucket, energy_kwh, perf_ratio, max_module_temp_c)
            VALUES %s
            ON CONFLICT (inverter_id, bucket) DO UPDATE
               SET energy_kwh = EXCLUDED.energy_kwh,
                   perf_ratio = EXCLUDED.perf_ratio,
                   max_module_temp_c = EXCLUDED.max_module_temp_c
        """, rows, page_size=5000)
    conn.commit()
    return len(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--date", default="yesterday")
    ap.add_argument("--dsn", default="dbname=solar")
    args = ap.parse_args()
    day = dt.date.today() - dt.timedelta(days=1) if args.date == "yesterday" \
        else dt.date.fromisoformat(args.date)

    files = sorted(INCOMING.glob(f"*/{day.isoformat()}/*.csv"))
    log.info("rolling up %d files for %s", len(files), day)

    frames = []
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(rollup_file, f) for f in files]
        for fut in as_completed(futures):
            res = fut.result()
            if res is not None:
                frames.append(res)

    conn = psycopg2.connect(args.dsn)
    try:
        n = write_rollups(conn, frames)
    finally:
        conn.close()
    log.info("wrote %d rollup rows", n)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
