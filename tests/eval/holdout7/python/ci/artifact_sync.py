#!/usr/bin/env python3
"""
artifact-sync: mirror build artifacts from the CI server into the release bucket.

Usage:
    artifact-sync --pipeline web-frontend --since 2024-05-01 [--dry-run]

Runs once per invocation from a developer laptop or the release job; single process, exits when done.
"""
import argparse
import logging
import os
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import requests

log = logging.getLogger("artifact-sync")

CI_API = os.environ.get("CI_API", "https://ci.internal.example.com/api/v4")
DOWNLOAD_DIR = Path(os.environ.get("ARTIFACT_DIR", "./artifacts"))
MAX_ATTEMPTS = 5

session = requests.Session()
session.headers["PRIVATE-TOKEN"] = os.environ["CI_TOKEN"]

# build_id -> status; just bookkeeping for the summary printed at the end
results: dict[int, str] = {}


def with_retries(fn, *args):
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return fn(*args)
        except (requests.ConnectionError, requests.Timeout) as exc:
            if attempt == MAX_ATTEMPTS:
                log.error("giving up after %d attempts: %s", attempt, exc)
                raise
            sleep_for = random.uniform(0, min(60, 2 ** attempt))  # full jitter, capped
            log.warning("attempt %d failed (%s); sleeping %.1fs", attempt, exc, sleep_for)
            time.sleep(sleep_for)


def list_builds(pipeline: str, since: str) -> list[dict]:
    builds, page = [], 1
    while True:
        r = session.get(f"{CI_API}/pipelines/{pipeline}/builds",
                        params={"status": "success", "updated_after": since, "per_page": 100, "page": page},
                        timeout=(5, 30))
        r.raise_for_status()
        batch = r.json()
        builds.extend(batch)
        if len(batch) < 100:
            return builds
        page += 1


def download(build: dict) -> Path:
    dest = DOWNLOAD_DIR / f"{build['id']}-{build['artifact_name']}"
    with session.get(build["artifact_url"], stream=True, timeout=(5, 120)) as r:
        r.raise_for_status()
        with open(dest, "wb") as fh:
            for chunk in r.iter_content(chunk_size=1 << 20):
                fh.write(chunk)
    return dest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="artifact-sync")
    ap.add_argument("--pipeline", required=True)
    ap.add_argument("--since", required=True)
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")

    builds = with_retries(list_builds, args.pipeline, args.since)
    log.info("%d successful builds since %s", len(builds), args.since)
    if args.dry_run:
        for b in builds:
            print(b["id"], b["artifact_name"])
        return 0

    DOWNLOAD_DIR.mkdir(parents=True, exist_ok=True)
    # downloads are network-bound, threads are fine here
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = {pool.submit(with_retries, download, b): b for b in builds}
        for fut in as_completed(futures):
            b = futures[fut]
            try:
                fut.result()
                results[b["id"]] = "ok"
            except Exception:
                log.exception("build %s failed to download", b["id"])
                results[b["id"]] = "failed"

    failed = [k for k, v in results.items() if v != "ok"]
    print(f"synced {len(results) - len(failed)} / {len(results)} artifacts")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
