#!/usr/bin/env python3
"""fwtool - fetch and verify firmware images for a device release manifest.

Run by release engineers on their laptop or in the nightly CI job:

    fwtool verify manifests/2024.11-gateway.json --out ./images
"""
import argparse
import hashlib
import json
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import requests

CHUNK = 1 << 20


def download(session: requests.Session, url: str, dest: Path) -> Path:
    if dest.exists():
        return dest
    with session.get(url, stream=True, timeout=(5, 60)) as resp:
        resp.raise_for_status()
        tmp = dest.with_suffix(".part")
        with tmp.open("wb") as fh:
            for block in resp.iter_content(CHUNK):
                fh.write(block)
        tmp.rename(dest)
    return dest


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            h.update(block)
    return h.hexdigest()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="fwtool")
    parser.add_argument("command", choices=["verify"])
    parser.add_argument("manifest", type=Path)
    parser.add_argument("--out", type=Path, default=Path("images"))
    parser.add_argument("--jobs", type=int, default=8)
    args = parser.parse_args(argv)

    manifest = json.loads(args.manifest.read_text())
    args.out.mkdir(parents=True, exist_ok=True)
    images = manifest["images"]

    # network-bound: threads are fine here
    with requests.Session() as session, ThreadPoolExecutor(max_workers=args.jobs) as io_pool:
        paths = list(
            io_pool.map(lambda img: download(session, img["url"], args.out / img["file"]), images)
        )

    # hashing multi-GB images is CPU-bound: use processes
    with ProcessPoolExecutor() as cpu_pool:
        digests = list(cpu_pool.map(sha256_file, paths))

    results = {}
    for img, digest in zip(images, digests):
        results[img["file"]] = digest == img["sha256"]
        status = "ok" if results[img["file"]] else "MISMATCH"
        print(f"{status:8} {img['file']}  {digest}")

    bad = [name for name, ok in results.items() if not ok]
    if bad:
        print(f"{len(bad)} image(s) failed verification", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
