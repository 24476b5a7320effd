#!/usr/bin/env python3
"""Nightly batch: simplify and measure the footpath survey GPX uploads.

Run by cron on the parish server after the upload window closes:

    python -m survey.footpath_gpx_processing /srv/survey/incoming

Simplifying 20k-point tracks is pure number crunching, so the work is
spread over worker processes rather than threads.
"""
from __future__ import annotations

import json
import logging
import math
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import lru_cache
from pathlib import Path

import gpxpy
from shapely.geometry import LineString, shape

log = logging.getLogger("survey.gpx")

BOUNDARIES_FILE = Path("/srv/survey/parish_boundaries.geojson")
EARTH_RADIUS_M = 6_371_000


@lru_cache(maxsize=64)
def parish_polygon(parish_code: str):
    """Parish boundary polygons are reused for every track in that parish."""
    with BOUNDARIES_FILE.open() as fh:
        for feature in json.load(fh)["features"]:
            if feature["properties"]["code"] == parish_code:
                return shape(feature["geometry"])
    raise KeyError(parish_code)


def haversine(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def process_file(path: str) -> dict:
    """Parse, simplify and measure one upload. Runs in a worker process."""
    gpx = gpxpy.parse(Path(path).read_text(encoding="utf-8"))
    pts = [(p.longitude, p.latitude) for t in gpx.tracks for s in t.segments for p in s.points]
    if len(pts) < 2:
        return {"file": path, "status": "empty"}
    line = LineString(pts).simplify(0.00003, preserve_topology=False)
    coords = list(line.coords)
    length = sum(haversine(a[1], a[0], b[1], b[0]) for a, b in zip(coords, coords[1:]))
    parish_code = Path(path).parent.name
    inside = parish_polygon(parish_code).contains(line)
    return {
        "file": path,
        "status": "ok",
        "points_in": len(pts),
        "points_out": len(coords),
        "length_m": round(length, 1),
        "inside_parish": inside,
    }


def main(incoming: Path) -> int:
    files = sorted(str(p) for p in incoming.glob("*/*.gpx"))
    log.info("processing %d uploads", len(files))
    results, failures = [], 0
    with ProcessPoolExecutor(max_workers=4) as pool:
        futures = {pool.submit(process_file, f): f for f in files}
        for fut in as_completed(futures):
            try:
                results.append(fut.result())
            except Exception:
                failures += 1
                log.exception("failed to process %s", futures[fut])
    (incoming / "summary.json").write_text(json.dumps(results, indent=2))
    log.info("done: %d ok, %d failed", len(results), failures)
    return 1 if failures else 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    sys.exit(main(Path(sys.argv[1])))
