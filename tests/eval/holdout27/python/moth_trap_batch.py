#!/usr/bin/env python3
"""Nightly batch: rarefied species richness for every moth-trap site.

Reads the recorders' CSV exports (one file per site per season) and writes
a summary CSV that the county recorder imports into the atlas.
"""
import argparse
import csv
import logging
import random
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import lru_cache
from pathlib import Path

log = logging.getLogger("moth-batch")

RAREFY_DEPTH = 200
RAREFY_ROUNDS = 500


@lru_cache(maxsize=4096)
def canonical_code(raw: str) -> str:
    """Normalise Bradley/agg codes, e.g. '2089 agg.' -> '2089'."""
    return raw.strip().split()[0].lstrip("0") or "0"


def read_site(path: Path) -> list[str]:
    individuals: list[str] = []
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            individuals.extend([canonical_code(row["bradley_code"])] * int(row["count"]))
    return individuals


def rarefied_richness(path_str: str) -> tuple[str, int, float]:
    """CPU-bound: repeated subsampling of individuals. Runs in a worker process."""
    path = Path(path_str)
    individuals = read_site(path)
    if len(individuals) < RAREFY_DEPTH:
        return path.stem, len(individuals), float(len(set(individuals)))
    rng = random.Random(path.stem)
    total = 0
    for _ in range(RAREFY_ROUNDS):
        total += len(set(rng.sample(individuals, RAREFY_DEPTH)))
    return path.stem, len(individuals), total / RAREFY_ROUNDS


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("export_dir", type=Path)
    parser.add_argument("out_csv", type=Path)
    parser.add_argument("--workers", type=int, default=None, help="defaults to CPU count")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)

    files = sorted(str(p) for p in args.export_dir.glob("*.csv"))
    results = []
    failures = 0
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = {pool.submit(rarefied_richness, f): f for f in files}
        for fut in as_completed(futures):
            try:
                results.append(fut.result())
            except (OSError, ValueError, KeyError):
                log.exception("could not process %s", futures[fut])
                failures += 1

    results.sort()
    with args.out_csv.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["site", "individuals", f"richness_at_{RAREFY_DEPTH}"])
        writer.writerows(results)

    log.info("wrote %d sites, %d failed", len(results), failures)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
