#!/usr/bin/env python3
"""Consume robot telemetry frames from Kafka, decode them and push summaries to the TSDB.

Usage: python telemetry_ingest.py --brokers kafka-1:9092 --topic amr.telemetry

One instance per site (single process, started by systemd).
"""
import argparse
import logging
import math
import struct
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

import requests
from kafka import KafkaConsumer

log = logging.getLogger("telemetry")
TSDB_URL = "http://tsdb.site.local:8428/api/v1/import"
HEADER = struct.Struct("<IHHQ")        # robot_id, fw, n_samples, ts_ns
SAMPLE = struct.Struct("<ffffffH")     # ax, ay, az, gx, gy, gz, motor_current

last_seen = {}  # robot_id -> ts, for the "robot went quiet" alert


def decode_frame(raw: bytes) -> dict:
    body = zlib.decompress(raw)
    robot_id, fw, n, ts_ns = HEADER.unpack_from(body, 0)
    off = HEADER.size
    sq = 0.0
    peak_current = 0
    for _ in range(n):
        ax, ay, az, gx, gy, gz, cur = SAMPLE.unpack_from(body, off)
        off += SAMPLE.size
        sq += ax * ax + ay * ay + az * az
        peak_current = max(peak_current, cur)
    return {
        "robot_id": robot_id,
        "fw": fw,
        "ts": ts_ns // 1_000_000,
        "vib_rms": math.sqrt(sq / max(n, 1)),
        "peak_current": peak_current,
    }


def push(points):
    lines = "\n".join(
        f'{{"metric":{{"__name__":"amr_vib_rms","robot":"{p["robot_id"]}"}},'
        f'"values":[{p["vib_rms"]}],"timestamps":[{p["ts"]}]}}'
        for p in points
    )
    while True:
        try:
            resp = requests.post(TSDB_URL, data=lines, timeout=5)
            resp.raise_for_status()
            return
        except requests.RequestException as exc:
            log.warning("tsdb push failed: %s, retrying", exc)
            time.sleep(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--brokers", required=True)
    ap.add_argument("--topic", default="amr.telemetry")
    ap.add_argument("--batch", type=int, default=500)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO)

    consumer = KafkaConsumer(args.topic, bootstrap_servers=args.brokers.split(","),
                             group_id="telemetry-ingest", enable_auto_commit=False)
    # decoding is the slow part, spread it over a pool
    decoder = ThreadPoolExecutor(max_workers=16)

    batch = []
    for msg in consumer:
        batch.append(msg.value)
        if len(batch) < args.batch:
            continue
        points = list(decoder.map(decode_frame, batch))
        for p in points:
            last_seen[p["robot_id"]] = p["ts"]
        push(points)
        consumer.commit()
        batch.clear()


if __name__ == "__main__":
    main()
