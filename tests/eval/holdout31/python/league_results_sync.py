"""Nightly job: push played table-tennis fixtures to the county association.

Run from cron at 02:15. One pooled HTTP session, a timeout on every call,
exponential backoff with full jitter, and a hard cap on attempts.
"""
import logging
import random
import time

import requests
from requests.adapters import HTTPAdapter

from league.db import pool          # psycopg_pool.ConnectionPool
from league.settings import COUNTY_API, COUNTY_TOKEN

log = logging.getLogger("league.sync")

BATCH_SIZE = 200
MAX_ATTEMPTS = 5
BASE_DELAY = 0.5
MAX_DELAY = 30.0
RETRYABLE_STATUS = {429, 502, 503, 504}

session = requests.Session()
session.mount("https://", HTTPAdapter(pool_connections=2, pool_maxsize=4))
session.headers["Authorization"] = f"Bearer {COUNTY_TOKEN}"


def post_with_backoff(url: str, payload: dict, idempotency_key: str) -> dict:
    for attempt in range(MAX_ATTEMPTS):
        try:
            resp = session.post(
                url, json=payload, headers={"Idempotency-Key": idempotency_key}, timeout=(3, 15)
            )
            if resp.status_code not in RETRYABLE_STATUS:
                resp.raise_for_status()
                return resp.json()
            log.warning("county API %s on attempt %d", resp.status_code, attempt + 1)
        except (requests.ConnectionError, requests.Timeout) as exc:
            log.warning("county API unreachable on attempt %d: %s", attempt + 1, exc)
        if attempt + 1 < MAX_ATTEMPTS:
            time.sleep(random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2 ** attempt)))
    raise RuntimeError(f"county API still failing after {MAX_ATTEMPTS} attempts")


def _unsent_fixtures(conn, after_id: int) -> list[tuple]:
    return conn.execute(
        "SELECT id, home_team_id, away_team_id, played_on, home_sets, away_sets "
        "FROM fixtures WHERE played_on IS NOT NULL AND county_ref IS NULL AND id > %s "
        "ORDER BY id LIMIT %s",
        (after_id, BATCH_SIZE),
    ).fetchall()


def sync_results() -> int:
    sent = 0
    last_id = 0
    with pool.connection() as conn:
        while True:
            fixtures = _unsent_fixtures(conn, last_id)
            if not fixtures:
                break
            team_ids = list({f[1] for f in fixtures} | {f[2] for f in fixtures})
            clubs = dict(
                conn.execute(
                    "SELECT t.id, c.county_code FROM teams t JOIN clubs c ON c.id = t.club_id "
                    "WHERE t.id = ANY(%s)",
                    (team_ids,),
                ).fetchall()
            )
            # the county's batch endpoint takes up to 200 results and answers in the same order
            refs = post_with_backoff(
                f"{COUNTY_API}/results/batch",
                {"results": [
                    {"home_club": clubs[home], "away_club": clubs[away],
                     "played_on": played_on.isoformat(), "sets": [hs, as_]}
                    for _, home, away, played_on, hs, as_ in fixtures
                ]},
                idempotency_key=f"fixtures-{fixtures[0][0]}-{fixtures[-1][0]}",
            )["match_refs"]
            conn.execute(
                "UPDATE fixtures f SET county_ref = v.ref "
                "FROM unnest(%s::bigint[], %s::text[]) AS v(id, ref) WHERE f.id = v.id",
                ([f[0] for f in fixtures], refs),
            )
            conn.commit()
            sent += len(fixtures)
            last_id = fixtures[-1][0]
    log.info("pushed %d fixtures to the county", sent)
    return sent


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    sync_results()
