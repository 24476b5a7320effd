"""Nightly triangulation of fireball sightings into candidate meteorite fall zones.

Members of the public report sightings (bearing, elevation, time) through the reporting
app. This job takes sightings already grouped into events, estimates each event's ground
track with a Monte Carlo fit, and posts the candidate strewn fields to the network
coordinator so search teams can be organised.

Run from cron on the analysis box: 0 2 * * * python -m fireball.triangulate
"""
import logging
import math
import os
import random
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import psycopg
import requests

log = logging.getLogger("fireball.triangulate")

DSN = os.environ["FIREBALL_DSN"]
COORDINATOR_URL = "https://coordinator.fireball-network.example.org/api/strewn-fields"
SAMPLES = 20_000
EARTH_R_KM = 6371.0


def _ray(sighting, jitter_deg: float):
    az = math.radians(sighting["azimuth_deg"] + random.gauss(0, jitter_deg))
    el = math.radians(sighting["elevation_deg"] + random.gauss(0, jitter_deg))
    return (math.cos(el) * math.sin(az), math.cos(el) * math.cos(az), math.sin(el))


def solve_event(sightings: list[dict]) -> dict:
    """Monte Carlo least-squares fit of the terminal point from observer rays."""
    best = []
    for _ in range(SAMPLES):
        xs, ys = [], []
        for s in sightings:
            dx, dy, dz = _ray(s, s.get("uncertainty_deg", 2.0))
            # project each ray down to a nominal 20 km dark-flight altitude
            t = 20.0 / max(dz, 1e-3)
            xs.append(s["x_km"] + dx * t)
            ys.append(s["y_km"] + dy * t)
        cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
        spread = math.sqrt(sum((x - cx) ** 2 + (y - cy) ** 2 for x, y in zip(xs, ys)) / len(xs))
        best.append((spread, cx, cy))
    best.sort()
    keep = best[: max(1, SAMPLES // 20)]
    cx = sum(b[1] for b in keep) / len(keep)
    cy = sum(b[2] for b in keep) / len(keep)
    return {
        "event_id": sightings[0]["event_id"],
        "centre_lat": cy / EARTH_R_KM * 180 / math.pi,
        "centre_lon": cx / EARTH_R_KM * 180 / math.pi,
        "radius_km": keep[-1][0],
        "observers": len(sightings),
    }


def main() -> None:
    with psycopg.connect(DSN, connect_timeout=10) as conn:
        rows = conn.execute(
            "SELECT event_id, azimuth_deg, elevation_deg, x_km, y_km, uncertainty_deg "
            "FROM sightings WHERE event_id IS NOT NULL AND solved_at IS NULL "
            "ORDER BY event_id LIMIT 5000"
        ).fetchall()
        events: dict[int, list[dict]] = defaultdict(list)
        for r in rows:
            events[r[0]].append(dict(zip(("event_id", "azimuth_deg", "elevation_deg", "x_km", "y_km", "uncertainty_deg"), r)))
        usable = [s for s in events.values() if len(s) >= 3]
        log.info("%d events with three or more observers", len(usable))

        with ThreadPoolExecutor(max_workers=8) as pool:
            solutions = list(pool.map(solve_event, usable))

        resp = requests.post(COORDINATOR_URL, json={"strewn_fields": solutions}, headers={"Authorization": f"Bearer {os.environ['COORDINATOR_TOKEN']}"})
        resp.raise_for_status()

        conn.execute(
            "UPDATE sightings SET solved_at = now() WHERE event_id = ANY(%s)",
            ([s["event_id"] for s in solutions],),
        )


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
