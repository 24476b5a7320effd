#!/usr/bin/env python3
"""Import job postings from partner feeds into the job board.

Run from cron every 15 minutes on the worker box:
    */15 * * * *  /srv/jobboard/venv/bin/python -m jobs.feed_import
"""
import logging
import os
import random
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import psycopg2
from psycopg2.extras import execute_values

log = logging.getLogger("feed_import")

PARTNERS = {
    "workly": "https://api.workly.example/v1/postings",
    "hireboard": "https://feeds.hireboard.example/jobs",
    "techjobs": "https://techjobs.example/export/postings",
}
MAX_ATTEMPTS = 5

# timeouts configured once on the client; every request below inherits them
http = httpx.Client(
    timeout=httpx.Timeout(10.0, connect=3.0),
    limits=httpx.Limits(max_connections=20),
    headers={"User-Agent": "jobboard-importer/2.3"},
)


def get_page(url: str, cursor: str | None) -> dict:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            resp = http.get(url, params={"cursor": cursor} if cursor else None)
            resp.raise_for_status()
            return resp.json()
        except (httpx.TransportError, httpx.HTTPStatusError) as exc:
            if attempt == MAX_ATTEMPTS:
                log.error("giving up on %s after %d attempts", url, attempt)
                raise
            delay = min(30.0, 0.5 * 2 ** attempt) * random.uniform(0.5, 1.0)
            log.warning("fetch %s failed (%s), retrying in %.1fs", url, exc, delay)
            time.sleep(delay)


def upsert_page(conn, partner: str, postings: list[dict]) -> None:
    rows = [
        (partner, p["id"], p["title"], p.get("company"), p.get("location"), p.get("salary_max"), p["posted_at"])
        for p in postings
    ]
    with conn.cursor() as cur:
        execute_values(
            cur,
            """
            INSERT INTO postings (partner, external_id, title, company, location, salary_max, posted_at)
            VALUES %s
            ON CONFLICT (partner, external_id) DO UPDATE
               SET title = EXCLUDED.title, location = EXCLUDED.location, salary_max = EXCLUDED.salary_max
            """,
            rows,
            page_size=500,
        )
    conn.commit()


def import_partner(partner: str, url: str) -> int:
    conn = psycopg2.connect(os.environ["DATABASE_URL"], connect_timeout=5)
    total, cursor = 0, None
    try:
        while True:
            page = get_page(url, cursor)
            if page["items"]:
                upsert_page(conn, partner, page["items"])  # one batched statement per page
                total += len(page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                break
    finally:
        conn.close()
    return total


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    # network-bound: threads are fine here
    with ThreadPoolExecutor(max_workers=len(PARTNERS)) as pool:
        results = dict(zip(PARTNERS, pool.map(import_partner, PARTNERS, PARTNERS.values())))
    for partner, n in results.items():
        log.info("%s: %d postings", partner, n)


if __name__ == "__main__":
    main()
