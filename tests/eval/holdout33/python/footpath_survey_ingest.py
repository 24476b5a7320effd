"""Ingest GPX tracks uploaded by the parish footpath survey volunteers.

Each volunteer walks a handful of rights of way and uploads the GPX from
their phone. We simplify the track, measure it and match it to the
definitive-map path it follows. This module is imported by the long-running
survey upload service (FastAPI, single container on the parish server).
"""
from __future__ import annotations

import hashlib
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import gpxpy

EARTH_RADIUS_M = 6_371_000


@dataclass(frozen=True)
class Track:
    points: tuple[tuple[float, float], ...]
    length_m: float


# Volunteers often re-upload the same file from the app, so keep parsed tracks.
_parsed_tracks: dict[str, Track] = {}


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def _perpendicular_distance(p, start, end) -> float:
    if start == end:
        return haversine(p, start)
    # Planar approximation is fine at footpath scale.
    (x0, y0), (x1, y1), (x2, y2) = p, start, end
    num = abs((y2 - y1) * x0 - (x2 - x1) * y0 + x2 * y1 - y2 * x1)
    den = math.hypot(y2 - y1, x2 - x1)
    return num / den * 111_000


def douglas_peucker(points: list[tuple[float, float]], tolerance_m: float) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    max_dist, index = 0.0, 0
    for i in range(1, len(points) - 1):
        d = _perpendicular_distance(points[i], points[0], points[-1])
        if d > max_dist:
            max_dist, index = d, i
    if max_dist <= tolerance_m:
        return [points[0], points[-1]]
    left = douglas_peucker(points[: index + 1], tolerance_m)
    right = douglas_peucker(points[index:], tolerance_m)
    return left[:-1] + right


def parse_track(gpx_bytes: bytes) -> Track:
    digest = hashlib.sha256(gpx_bytes).hexdigest()
    if digest in _parsed_tracks:
        return _parsed_tracks[digest]
    gpx = gpxpy.parse(gpx_bytes.decode("utf-8"))
    raw = [(p.latitude, p.longitude) for t in gpx.tracks for s in t.segments for p in s.points]
    simplified = douglas_peucker(raw, tolerance_m=3.0)
    length = sum(haversine(a, b) for a, b in zip(simplified, simplified[1:]))
    track = Track(points=tuple(simplified), length_m=length)
    _parsed_tracks[digest] = track
    return track


def ingest_batch(uploads: list[bytes]) -> list[Track]:
    """Parse and simplify a batch of uploads (a survey day can be 40+ files
    with 20k points each)."""
    with ThreadPoolExecutor(max_workers=8) as executor:
        return list(executor.map(parse_track, uploads))
