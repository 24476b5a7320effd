#!/usr/bin/env python3
"""
Trip rollup worker.

Long-running daemon (systemd unit `trip-rollup.service`) that picks up raw telematics
batches uploaded by the vehicle gateways to S3, decodes the binary frames, computes
distance / harsh-braking events per trip and writes trip summaries to Postgres.

Each batch file is ~40 MB of packed frames (about 1.5M GPS points).
"""
import logging
import math
import os
import struct
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
import psycopg2
import psycopg2.extras
import requests

log = logging.getLogger("trip_rollup")

FRAME = struct.Struct("<IqiihhB")  # vehicle_id, ts_ms, lat_e7, lng_e7, speed_cms, accel_x_mg, flags
BUCKET = os.environ["TELEMETRY_BUCKET"]
GEOCODER = os.environ.get("GEOCODER_URL", "http://geocoder.internal/v1/reverse/batch")
HARSH_BRAKE_MG = -350

s3 = boto3.client("s3")
_place_names: dict[tuple[float, float], str] = {}


def haversine_m(lat1, lng1, lat2, lng2):
    r = 6371000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def place_names(points: list[tuple[float, float]]) -> list[str]:
    keys = [(round(lat, 4), round(lng, 4)) for lat, lng in points]
    missing = sorted({k for k in keys if k not in _place_names})
    if missing:
        resp = requests.post(GEOCODER, json={"points": missing}, timeout=30)
        resp.raise_for_status()
        _place_names.update(zip(missing, resp.json()["names"]))
    return [_place_names[k] for k in keys]


def summarise_batch(key: str) -> list[dict]:
    body = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    trips: dict[int, dict] = {}
    for vehicle_id, ts, lat_e7, lng_e7, speed, accel_x, flags in FRAME.iter_unpack(body):
        lat, lng = lat_e7 / 1e7, lng_e7 / 1e7
        t = trips.get(vehicle_id)
        if t is None:
            t = trips[vehicle_id] = {"vehicle_id": vehicle_id, "start_ts": ts, "start": (lat, lng),
                                     "distance_m": 0.0, "harsh_brakes": 0, "max_speed_cms": 0, "last": (lat, lng)}
        else:
            t["distance_m"] += haversine_m(*t["last"], lat, lng)
            t["last"] = (lat, lng)
        t["end_ts"] = ts
        t["max_speed_cms"] = max(t["max_speed_cms"], speed)
        if accel_x <= HARSH_BRAKE_MG:
            t["harsh_brakes"] += 1
    out = list(trips.values())
    names = place_names([t["start"] for t in out] + [t["last"] for t in out])
    for i, t in enumerate(out):
        t["start_place"], t["end_place"] = names[i], names[len(out) + i]
    return out


def write_summaries(conn, rows):
    with conn.cursor() as cur:
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO trip_summaries (vehicle_id, start_ts, end_ts, distance_m, harsh_brakes, "
            "max_speed_cms, start_place, end_place) VALUES %s",
            [(r["vehicle_id"], r["start_ts"], r["end_ts"], r["distance_m"], r["harsh_brakes"],
              r["max_speed_cms"], r["start_place"], r["end_place"]) for r in rows],
        )
    conn.commit()


def main():
    logging.basicConfig(level=logging.INFO)
    conn = psycopg2.connect(os.environ["FLEET_DSN"])
    pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 8)
    while True:
        listing = s3.list_objects_v2(Bucket=BUCKET, Prefix="incoming/", MaxKeys=32)
        keys = [o["Key"] for o in listing.get("Contents", [])]
        if not keys:
            time.sleep(15)
            continue
        started = time.monotonic()
        for key, rows in zip(keys, pool.map(summarise_batch, keys)):
            write_summaries(conn, rows)
            s3.copy_object(Bucket=BUCKET, Key=key.replace("incoming/", "done/"),
                           CopySource={"Bucket": BUCKET, "Key": key})
            s3.delete_object(Bucket=BUCKET, Key=key)
        log.info("rolled up %d batches in %.1fs", len(keys), time.monotonic() - started)


if __name__ == "__main__":
    main()
