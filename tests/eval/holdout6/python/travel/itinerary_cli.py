#!/usr/bin/env python3
"""Monthly travel-spend report for the finance team.

Reads the bookings CSV exported from the TMC portal, resolves airport codes to
countries (cached in a dict for the duration of this run), and prints spend per
country and per cost centre. Single process, runs by hand once a month.

    ./itinerary_cli.py bookings-2024-05.csv
"""
import csv
import sys
from collections import Counter, defaultdict
from decimal import Decimal

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

AIRPORTS_API = "https://airports.internal.example/v1/airports"
CHUNK = 100

http = requests.Session()
http.mount("https://", HTTPAdapter(max_retries=Retry(total=4, backoff_factor=0.5,
                                                      status_forcelist=[429, 502, 503, 504])))

airport_country: dict[str, str] = {}   # IATA -> ISO country, filled per run
stats = Counter()


def resolve_airports(codes: set[str]) -> None:
    missing = sorted(c for c in codes if c not in airport_country)
    for i in range(0, len(missing), CHUNK):
        batch = missing[i:i + CHUNK]
        r = http.get(AIRPORTS_API, params={"iata": ",".join(batch)}, timeout=10)
        r.raise_for_status()
        for a in r.json()["airports"]:
            airport_country[a["iata"]] = a["country"]
        stats["api_calls"] += 1


def main(path: str) -> None:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))

    resolve_airports({row["destination"] for row in rows})

    by_country = defaultdict(Decimal)
    by_cost_centre = defaultdict(Decimal)
    for row in rows:
        amount = Decimal(row["total_eur"])
        country = airport_country.get(row["destination"], "??")
        by_country[country] += amount
        by_cost_centre[row["cost_centre"]] += amount
        stats["bookings"] += 1

    print(f"{stats['bookings']} bookings, {stats['api_calls']} lookups")
    print("\nSpend by destination country")
    for country, total in sorted(by_country.items(), key=lambda kv: kv[1], reverse=True):
        print(f"  {country:4} {total:>12,.2f}")
    print("\nSpend by cost centre")
    for cc, total in sorted(by_cost_centre.items()):
        print(f"  {cc:10} {total:>12,.2f}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: itinerary_cli.py BOOKINGS.csv")
    main(sys.argv[1])
