#!/usr/bin/env python3
"""Backfill product thumbnails.

Usage: python tools/make_thumbnails.py manifest.csv out/ [--workers N]

One-off CLI run by hand from a bastion host: downloads originals (threads,
network-bound), resizes + hashes them (processes, CPU-bound), writes WebP files.
"""
import argparse
import csv
import hashlib
import logging
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from functools import lru_cache
from io import BytesIO
from pathlib import Path

import requests
from PIL import Image

log = logging.getLogger("thumbs")
SIZES = (1200, 600, 300)
session = requests.Session()


def fetch(url: str, attempts: int = 4) -> bytes:
    for attempt in range(attempts):
        try:
            r = session.get(url, timeout=(3, 20))
            r.raise_for_status()
            return r.content
        except requests.RequestException as exc:
            if attempt == attempts - 1:
                raise
            delay = min(30, 2 ** attempt) * random.uniform(0.5, 1.5)
            log.warning("fetch %s failed (%s), retrying in %.1fs", url, exc, delay)
            time.sleep(delay)


@lru_cache(maxsize=1024)
def out_dir(root: str, sku: str) -> Path:
    p = Path(root) / sku[:2] / sku
    p.mkdir(parents=True, exist_ok=True)
    return p


def resize_all(sku: str, raw: bytes, root: str) -> tuple[str, str]:
    digest = hashlib.sha256(raw).hexdigest()[:16]
    img = Image.open(BytesIO(raw)).convert("RGB")
    for size in SIZES:
        im = img.copy()
        im.thumbnail((size, size), Image.LANCZOS)
        im.save(out_dir(root, sku) / f"{digest}_{size}.webp", "WEBP", quality=82, method=6)
    return sku, digest


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("manifest")
    ap.add_argument("out")
    ap.add_argument("--workers", type=int, default=os.cpu_count())
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    with open(args.manifest, newline="") as fh:
        items = [(row["sku"], row["image_url"]) for row in csv.DictReader(fh)]

    done: dict[str, str] = {}      # sku -> digest, only for the summary of this run
    failed = 0
    with ThreadPoolExecutor(max_workers=16) as io_pool, ProcessPoolExecutor(max_workers=args.workers) as cpu_pool:
        downloads = {io_pool.submit(fetch, url): sku for sku, url in items}
        resizes = []
        for fut in as_completed(downloads):
            sku = downloads[fut]
            try:
                resizes.append(cpu_pool.submit(resize_all, sku, fut.result(), args.out))
            except Exception:
                log.exception("download failed for %s", sku)
                failed += 1
        for fut in as_completed(resizes):
            sku, digest = fut.result()
            done[sku] = digest

    log.info("done: %d thumbnails sets, %d failed", len(done), failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
