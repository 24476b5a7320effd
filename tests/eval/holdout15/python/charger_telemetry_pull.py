#!/usr/bin/env python3
"""Pull overnight session logs from every depot charger and load them into Postgres.

Runs from cron on the ops box at 05:30:  charger_telemetry_pull.py --date yesterday

- Downloading is network-bound -> thread pool (the GIL is released while waiting on sockets).
- Parsing the OCPP MeterValues dumps is CPU-bound -> process pool.
- Rows are written in pages of 5,000, one executemany per page (psycopg 3 pipelines it).
"""
import argparse
import logging
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from datetime import date, timedelta

import httpx
import psycopg
from ocpp_dump import parse_meter_values  # C-accelerated but still ~2 s per charger

log = logging.getLogger("telemetry_pull")

http = httpx.Client(timeout=httpx.Timeout(20.0, connect=5.0),
                    headers={"Authorization": f"Bearer {os.environ['CPMS_TOKEN']}"})
PAGE = 5_000


def fetch_with_retry(url: str, max_attempts: int = 5) -> bytes:
    for attempt in range(1, max_attempts + 1):
        try:
            resp = http.get(url)
            resp.raise_for_status()
            return resp.content
        except (httpx.TransportError, httpx.HTTPStatusError) as exc:
            if attempt == max_attempts:
                log.error("giving up on %s after %d attempts: %s", url, attempt, exc)
                raise
            delay = min(60.0, 2 ** attempt) * random.uniform(0.5, 1.0)
            log.warning("fetch %s failed (%s), retry %d in %.1fs", url, exc, attempt, delay)
            time.sleep(delay)


def load_rows(conn, rows: list[tuple]) -> None:
    for i in range(0, len(rows), PAGE):
        page = rows[i:i + PAGE]
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO charge_samples (charger_id, connector, ts, kw, soc, vin) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                page,
            )
        conn.commit()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--date", default="yesterday")
    args = ap.parse_args()
    day = date.today() - timedelta(days=1) if args.date == "yesterday" else date.fromisoformat(args.date)

    with psycopg.connect(os.environ["FLEET_DB_URL"], connect_timeout=10) as conn:
        chargers = conn.execute("SELECT id, cpms_url FROM chargers WHERE active").fetchall()

        with ThreadPoolExecutor(max_workers=12) as io_pool:
            futures = {io_pool.submit(fetch_with_retry, f"{url}/logs/{day}"): cid for cid, url in chargers}
            dumps = {futures[f]: f.result() for f in as_completed(futures)}

        with ProcessPoolExecutor() as cpu_pool:
            parsed = cpu_pool.map(parse_meter_values, dumps.keys(), dumps.values(), chunksize=4)
            rows = [row for charger_rows in parsed for row in charger_rows]

        load_rows(conn, rows)
        log.info("%s: %d chargers, %d samples loaded", day, len(chargers), len(rows))


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
