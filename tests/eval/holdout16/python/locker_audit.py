#!/usr/bin/env python3
"""
locker-audit: one-off CLI that polls every store's locker controller and
reports lockers whose firmware is outdated or whose door sensor disagrees
with the database. Run by hand by ops:  python locker_audit.py --region west
"""
import argparse
import csv
import logging
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed

import psycopg2
import requests

log = logging.getLogger("locker-audit")

# firmware model -> latest version; filled lazily, lives only for this run
_latest_fw = {}
session = requests.Session()


def latest_firmware(model: str) -> str:
    if model not in _latest_fw:
        r = session.get(f"https://fw.lockerco.example/models/{model}/latest", timeout=10)
        r.raise_for_status()
        _latest_fw[model] = r.json()["version"]
    return _latest_fw[model]


def poll_store(store: dict) -> list[dict]:
    r = session.get(f"http://{store['controller_host']}:8080/status", timeout=(3, 10))
    r.raise_for_status()
    return [dict(store_id=store["id"], **locker) for locker in r.json()["lockers"]]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--region", required=True)
    ap.add_argument("--dsn", default="dbname=lockers")
    ap.add_argument("--out", default="-")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO)

    with psycopg2.connect(args.dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT id, name, controller_host FROM stores WHERE region = %s", (args.region,))
        stores = [dict(zip(("id", "name", "controller_host"), r)) for r in cur.fetchall()]
        cur.execute(
            "SELECT store_id, locker_no, state FROM lockers WHERE store_id = ANY(%s)",
            ([s["id"] for s in stores],))
        db_state = {(s, n): st for s, n, st in cur.fetchall()}

    findings = []
    # network-bound: a thread per controller request is fine here
    with ThreadPoolExecutor(max_workers=16) as ex:
        futs = {ex.submit(poll_store, s): s for s in stores}
        for fut in as_completed(futs):
            store = futs[fut]
            try:
                lockers = fut.result()
            except requests.RequestException as e:
                log.error("store %s (%s) unreachable: %s", store["id"], store["name"], e)
                findings.append({"store_id": store["id"], "issue": f"unreachable: {e}"})
                continue
            for lk in lockers:
                if lk["firmware"] != latest_firmware(lk["model"]):
                    findings.append({"store_id": lk["store_id"], "locker_no": lk["locker_no"],
                                     "issue": f"firmware {lk['firmware']}"})
                expected = db_state.get((lk["store_id"], lk["locker_no"]))
                if expected == "free" and lk["door"] == "closed_occupied":
                    findings.append({"store_id": lk["store_id"], "locker_no": lk["locker_no"],
                                     "issue": "occupied but free in db"})

    out = sys.stdout if args.out == "-" else open(args.out, "w", newline="")
    w = csv.DictWriter(out, fieldnames=["store_id", "locker_no", "issue"])
    w.writeheader()
    w.writerows(findings)
    log.info("%d stores, %d findings", len(stores), len(findings))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
