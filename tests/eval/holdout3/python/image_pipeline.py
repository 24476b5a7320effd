#!/usr/bin/env python3
"""
Nightly catalogue image pipeline.

    python -m media.image_pipeline manifest.csv --out /data/renditions

1. download source images (I/O bound  -> thread pool)
2. resize + hash them      (CPU bound  -> process pool, one worker per core)
"""
import argparse
import csv
import hashlib
import io
import logging
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from pathlib import Path

import httpx
from PIL import Image

log = logging.getLogger("image_pipeline")

SIZES = {"lg": (1200, 1200), "md": (600, 600), "sm": (200, 200)}

http = httpx.Client(
    timeout=httpx.Timeout(15.0, connect=3.0),
    limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
    follow_redirects=True,
)


def download(sku: str, url: str) -> tuple[str, bytes]:
    resp = http.get(url)
    resp.raise_for_status()
    return sku, resp.content


def render(sku: str, data: bytes, out_dir: str) -> dict:
    """Runs in a worker process."""
    digest = hashlib.sha256(data).hexdigest()
    src = Image.open(io.BytesIO(data)).convert("RGB")
    written = []
    for name, size in SIZES.items():
        img = src.copy()
        img.thumbnail(size, Image.LANCZOS)
        path = Path(out_dir) / f"{sku}-{name}.webp"
        img.save(path, format="WEBP", quality=80)
        written.append(str(path))
    return {"sku": sku, "sha256": digest, "files": written}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("manifest")
    ap.add_argument("--out", default="renditions")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    with open(args.manifest, newline="") as fh:
        rows = [(r["sku"], r["image_url"]) for r in csv.DictReader(fh)]

    failed = 0
    with ThreadPoolExecutor(max_workers=16) as io_pool, ProcessPoolExecutor() as cpu_pool:
        downloads = [io_pool.submit(download, sku, url) for sku, url in rows]
        renders = []
        for fut in as_completed(downloads):
            try:
                sku, data = fut.result()
            except httpx.HTTPError as exc:
                failed += 1
                log.warning("download failed: %s", exc)
                continue
            renders.append(cpu_pool.submit(render, sku, data, args.out))

        for fut in as_completed(renders):
            result = fut.result()
            log.info("rendered %s (%s)", result["sku"], result["sha256"][:12])

    log.info("done: %d ok, %d failed", len(rows) - failed, failed)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
