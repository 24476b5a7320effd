#!/usr/bin/env python3
"""Import the monthly fleet spreadsheet from the leasing company.

Usage: python fleet_import.py fleet-2024-06.csv --dsn postgresql://... [--photos]

Single run from a laptop or the ops box; not part of the web app.
"""
import argparse
import csv
import hashlib
import json
import logging
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from pathlib import Path

import psycopg2
import psycopg2.extras
import requests

log = logging.getLogger("fleet_import")

# loaded once at start-up from the repo; ~60 branches, never changes during a run
BRANCH_CODES = json.loads(Path(__file__).with_name("branch_codes.json").read_text())
seen_vins = set()


def normalise(row):
    """CPU-heavy: VIN checksum, depreciation schedule, class mapping."""
    vin = row["VIN"].strip().upper()
    weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
    values = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ",
              [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9]))}
    check = sum(values[c] * w for c, w in zip(vin, weights)) % 11
    valid = ("X" if check == 10 else str(check)) == vin[8]
    price = float(row["ListPrice"])
    schedule = [round(price * (0.82 ** year), 2) for year in range(1, 6)]
    return {
        "vin": vin,
        "valid": valid,
        "branch_id": BRANCH_CODES[row["Branch"]],
        "car_class": row["Class"].strip().lower(),
        "residuals": schedule,
        "photo_url": row.get("PhotoURL") or None,
    }


def fetch_photo(session, vin, url, dest):
    resp = session.get(url, timeout=(3, 30))
    resp.raise_for_status()
    path = dest / f"{vin}.jpg"
    path.write_bytes(resp.content)
    return vin, hashlib.sha256(resp.content).hexdigest()


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("csv_path")
    ap.add_argument("--dsn", required=True)
    ap.add_argument("--photos", action="store_true")
    ap.add_argument("--photo-dir", default="photos")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO)

    with open(args.csv_path, newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["VIN"].strip()]

    with ProcessPoolExecutor() as pool:
        vehicles = list(pool.map(normalise, rows, chunksize=200))

    vehicles = [v for v in vehicles if v["valid"] and not (v["vin"] in seen_vins or seen_vins.add(v["vin"]))]
    log.info("%d rows, %d valid unique vehicles", len(rows), len(vehicles))

    if args.photos:
        dest = Path(args.photo_dir)
        dest.mkdir(exist_ok=True)
        with requests.Session() as s, ThreadPoolExecutor(max_workers=16) as io_pool:
            futures = [io_pool.submit(fetch_photo, s, v["vin"], v["photo_url"], dest)
                       for v in vehicles if v["photo_url"]]
            for fut in as_completed(futures):
                try:
                    fut.result()
                except requests.RequestException as exc:
                    log.warning("photo download failed: %s", exc)

    with psycopg2.connect(args.dsn) as conn, conn.cursor() as cur:
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO vehicles (vin, branch_id, car_class, residuals) VALUES %s "
            "ON CONFLICT (vin) DO UPDATE SET branch_id = EXCLUDED.branch_id, "
            "car_class = EXCLUDED.car_class, residuals = EXCLUDED.residuals",
            [(v["vin"], v["branch_id"], v["car_class"], json.dumps(v["residuals"])) for v in vehicles],
            page_size=1000,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
