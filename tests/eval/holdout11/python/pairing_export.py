#!/usr/bin/env python3
"""Push the published pairings for a bid period to the airline's crew-tracking system.

    ./pairing_export.py --airline 7 --bid-period 2024-07

Single-process CLI, run by the scheduler after bid award.
"""
import argparse
import logging
import os
import random
import time
from zoneinfo import ZoneInfo

import httpx
import psycopg

log = logging.getLogger("pairing_export")

TRACKER = httpx.Client(
    base_url=os.environ["CREW_TRACKER_URL"],
    headers={"Authorization": f"Bearer {os.environ['CREW_TRACKER_TOKEN']}"},
    timeout=httpx.Timeout(15.0, connect=3.0),
)
PAGE = 500
MAX_ATTEMPTS = 6


def load_airport_zones(conn) -> dict[str, ZoneInfo]:
    """~4k rows, read once at start-up; airports don't change during a run."""
    with conn.cursor() as cur:
        cur.execute("SELECT iata, tz FROM airports")
        return {iata: ZoneInfo(tz) for iata, tz in cur.fetchall()}


def post_with_retry(path: str, payload: dict) -> None:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            resp = TRACKER.post(path, json=payload)
            if resp.status_code < 500 and resp.status_code != 429:
                resp.raise_for_status()
                return
            log.warning("tracker returned %s (attempt %d)", resp.status_code, attempt)
        except httpx.TransportError as exc:
            log.warning("tracker unreachable (attempt %d): %s", attempt, exc)
        if attempt == MAX_ATTEMPTS:
            raise RuntimeError(f"giving up on {path} after {MAX_ATTEMPTS} attempts")
        time.sleep(min(30.0, 0.5 * 2 ** attempt) * random.uniform(0.5, 1.0))


def export(conn, airline_id: int, bid_period: str) -> int:
    zones = load_airport_zones(conn)
    with conn.cursor() as cur:
        # the airlines row is the tenant itself
        cur.execute("SELECT icao, name FROM airlines WHERE id = %s", (airline_id,))
        icao, name = cur.fetchone()
    airline = {"icao": icao, "name": name}
    fleet_names = {}  # aircraft_type id -> ICAO name, a few dozen types at most
    sent, last_id = 0, 0
    with conn.cursor() as cur:
        while True:
            cur.execute(
                "SELECT id, code, aircraft_type_id FROM pairings "
                "WHERE airline_id = %s AND bid_period = %s AND id > %s ORDER BY id LIMIT %s",
                (airline_id, bid_period, last_id, PAGE),
            )
            pairings = cur.fetchall()
            if not pairings:
                return sent
            cur.execute(
                "SELECT pairing_id, flight_no, dep, arr, std_utc, sta_utc FROM legs "
                "WHERE pairing_id = ANY(%s) ORDER BY pairing_id, std_utc",
                ([p[0] for p in pairings],),
            )
            legs = {}
            for pid, flight_no, dep, arr, std, sta in cur.fetchall():
                legs.setdefault(pid, []).append({
                    "flight": flight_no, "dep": dep, "arr": arr,
                    "std_local": std.astimezone(zones[dep]).isoformat(),
                    "sta_local": sta.astimezone(zones[arr]).isoformat(),
                })
            missing = list({p[2] for p in pairings} - fleet_names.keys())
            if missing:
                # aircraft_types is global reference data (no airline column)
                cur.execute("SELECT id, icao_name FROM aircraft_types WHERE id = ANY(%s)", (missing,))
                fleet_names.update(cur.fetchall())
            post_with_retry("/v2/pairings:batch", {
                "airline": airline["icao"],
                "pairings": [{"code": code, "fleet": fleet_names[type_id], "legs": legs.get(pid, [])}
                             for pid, code, type_id in pairings],
            })
            sent += len(pairings)
            last_id = pairings[-1][0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--airline", type=int, required=True)
    ap.add_argument("--bid-period", required=True)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    with psycopg.connect(os.environ["SCHED_DB_DSN"], connect_timeout=5) as conn:
        try:
            n = export(conn, args.airline, args.bid_period)
        except Exception:
            log.exception("export failed for airline %s period %s", args.airline, args.bid_period)
            raise
    log.info("exported %d pairings", n)


if __name__ == "__main__":
    main()
