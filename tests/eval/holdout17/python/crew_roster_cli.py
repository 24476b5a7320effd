#!/usr/bin/env python3
"""
Build next week's wildfire crew roster sheet from the HR export and the fire-weather
forecast. Run by the duty officer on a laptop, once a week:

    python crew_roster_cli.py --week 2024-07-15 --hr hr_export.csv --out roster.csv
"""
import argparse
import csv
import logging
import random
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from functools import lru_cache

import requests

FORECAST_URL = "https://fireweather.example.gov/api/stations/{code}/forecast"
log = logging.getLogger("roster")
session = requests.Session()

# station code -> (name, min crew size); read once from the bundled file
STATIONS = {}


@lru_cache(maxsize=512)
def qual_rank(code: str) -> int:
    order = ["FFT2", "FFT1", "ENGB", "CRWB", "DIVS"]
    return order.index(code) if code in order else -1


def fetch_forecast(code: str):
    for attempt in range(5):
        try:
            r = session.get(FORECAST_URL.format(code=code), timeout=10)
            r.raise_for_status()
            return code, r.json()
        except requests.RequestException as exc:
            if attempt == 4:
                log.error("forecast for %s failed after 5 tries: %s", code, exc)
                raise
            time.sleep(min(30, 2 ** attempt) + random.uniform(0, 1))


def load_crew(path):
    with open(path, newline="") as f:
        return [row for row in csv.DictReader(f) if row["status"] == "active"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--week", type=date.fromisoformat, required=True)
    ap.add_argument("--hr", required=True)
    ap.add_argument("--stations", default="stations.csv")
    ap.add_argument("--out", default="roster.csv")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO)

    with open(args.stations, newline="") as f:
        for row in csv.DictReader(f):
            STATIONS[row["code"]] = (row["name"], int(row["min_crew"]))

    # network-bound: threads are fine here
    with ThreadPoolExecutor(max_workers=8) as pool:
        forecasts = dict(pool.map(fetch_forecast, STATIONS))

    crew = sorted(load_crew(args.hr), key=lambda c: -qual_rank(c["top_qual"]))
    shifts = Counter()
    rows = []
    for day in (args.week + timedelta(days=i) for i in range(7)):
        for code, (name, min_crew) in STATIONS.items():
            danger = forecasts[code]["days"].get(day.isoformat(), {}).get("danger", "moderate")
            needed = min_crew + (2 if danger in ("very high", "extreme") else 0)
            pool_ = [c for c in crew if c["home_station"] == code and shifts[c["id"]] < 5]
            for member in pool_[:needed]:
                shifts[member["id"]] += 1
                rows.append({"date": day.isoformat(), "station": name, "member": member["name"],
                             "qual": member["top_qual"], "danger": danger})

    with open(args.out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["date", "station", "member", "qual", "danger"])
        w.writeheader()
        w.writerows(rows)
    log.info("wrote %d assignments to %s", len(rows), args.out)


if __name__ == "__main__":
    main()
