#!/usr/bin/env python3
"""carrier_check -- re-verify carrier authority/insurance before tendering loads.

Single-process CLI, run by ops from a laptop or the nightly cron box:

    carrier_check.py --dsn postgresql:///brokerage --since 2024-05-01

FMCSA-style lookup API allows ~5 requests/second per key.
"""
import argparse
import logging
import random
import sys
import time

import psycopg
import requests

API = "https://mobile.fmcsa.example.gov/qc/services/carriers/{mc}"
log = logging.getLogger("carrier_check")

_seen: dict[str, dict] = {}       # MC number -> API payload, for this run only
_last_call = 0.0


def polite_get(url: str, key: str) -> dict:
    global _last_call
    for attempt in range(6):
        wait = 0.2 - (time.monotonic() - _last_call)
        if wait > 0:
            time.sleep(wait)
        _last_call = time.monotonic()
        try:
            r = requests.get(url, params={"webKey": key}, timeout=(3, 10))
            if r.status_code == 429 or r.status_code >= 500:
                raise requests.HTTPError(f"status {r.status_code}")
            r.raise_for_status()
            return r.json()
        except requests.RequestException as exc:
            backoff = min(60, 2 ** attempt) + random.random()
            log.warning("lookup failed (%s), retry %d in %.1fs", exc, attempt + 1, backoff)
            time.sleep(backoff)
    raise RuntimeError(f"giving up on {url}")


def carrier_status(mc: str, key: str) -> dict:
    if mc not in _seen:
        _seen[mc] = polite_get(API.format(mc=mc), key)["content"]["carrier"]
    return _seen[mc]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dsn", required=True)
    ap.add_argument("--since", required=True)
    ap.add_argument("--key", required=True)
    args = ap.parse_args()

    with psycopg.connect(args.dsn) as conn:
        last_id, flagged = 0, 0
        while True:
            load_rows = conn.execute(
                "SELECT id, carrier_mc FROM loads WHERE tendered_at >= %s AND id > %s "
                "ORDER BY id LIMIT 500", (args.since, last_id)).fetchall()
            if not load_rows:
                break
            last_id = load_rows[-1][0]
            mcs = sorted({mc for _, mc in load_rows})
            # one batched query per page, not per carrier
            known = dict(conn.execute(
                "SELECT mc_number, insurance_expires FROM carriers WHERE mc_number = ANY(%s)",
                (mcs,)).fetchall())
            # the lookup API has no bulk endpoint; carrier_status memoises per run
            for mc in mcs:
                info = carrier_status(mc, args.key)
                if info.get("allowedToOperate") != "Y" or known.get(mc) is None:
                    flagged += 1
                    print(f"FLAG {mc}: operate={info.get('allowedToOperate')} "
                          f"insurance_expires={known.get(mc)}")
    log.info("done, %d carriers flagged", flagged)
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    sys.exit(main())
