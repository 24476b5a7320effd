#!/usr/bin/env python3
"""Import a day's HL7 ORU result batches from the reference lab.

Usage: lab_ingest.py 2024-05-17

Single process, run once a night by systemd timer. Downloads are I/O bound (threads);
HL7 parsing is CPU bound (processes).
"""
import logging
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import psycopg2
import requests
from psycopg2.extras import execute_values

from hl7parse import parse_oru_batch

log = logging.getLogger("lab_ingest")

VENDOR = "https://api.refdx-labs.com/v3"
session = requests.Session()
session.headers["Authorization"] = f"Bearer {os.environ['REFDX_TOKEN']}"

# analyte code -> our internal id; loaded once, read-only afterwards
ANALYTES: dict[str, int] = {}


def with_backoff(fn, *args, attempts=6, base=0.5, cap=30.0):
    for attempt in range(1, attempts + 1):
        try:
            return fn(*args)
        except (requests.ConnectionError, requests.Timeout) as exc:
            if attempt == attempts:
                log.error("giving up after %d attempts: %s", attempts, exc)
                raise
            delay = random.uniform(0, min(cap, base * 2 ** attempt))
            log.warning("attempt %d failed (%s); retrying in %.1fs", attempt, exc, delay)
            time.sleep(delay)


def download(batch_id: str) -> bytes:
    resp = session.get(f"{VENDOR}/batches/{batch_id}/content", timeout=(5, 60))
    resp.raise_for_status()
    return resp.content


def main(day: str) -> None:
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    with conn.cursor() as cur:
        cur.execute("SELECT code, id FROM analytes")
        ANALYTES.update(dict(cur.fetchall()))

    listing = with_backoff(lambda: session.get(f"{VENDOR}/batches", params={"date": day}, timeout=10).json())
    batch_ids = [b["id"] for b in listing["batches"]]
    log.info("%d batches for %s", len(batch_ids), day)

    with ThreadPoolExecutor(max_workers=8) as io_pool:
        raw = list(io_pool.map(lambda b: with_backoff(download, b), batch_ids))

    with ProcessPoolExecutor() as cpu_pool:
        parsed = list(cpu_pool.map(parse_oru_batch, raw, chunksize=4))

    rows = [
        (r.accession, r.order_id, ANALYTES[r.code], r.value, r.unit, r.ref_low, r.ref_high, r.flag)
        for batch in parsed for r in batch if r.code in ANALYTES
    ]
    try:
        with conn, conn.cursor() as cur:
            execute_values(cur, """
                INSERT INTO lab_results (accession, order_id, analyte_id, value, unit, ref_low, ref_high, flag)
                VALUES %s
                ON CONFLICT (accession, analyte_id) DO NOTHING
            """, rows, page_size=1000)
    except psycopg2.Error:
        log.exception("insert failed for %s", day)
        raise
    finally:
        conn.close()
    log.info("imported %d results", len(rows))


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main(sys.argv[1])
