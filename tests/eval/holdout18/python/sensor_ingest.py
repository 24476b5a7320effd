# growhouse/ingest.py
# Receives batches from the grow-room gateways (every 30s per room, 40 rooms)
# and computes the per-room summary shown on the farm dashboard.
import math
import os
import statistics
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import psycopg2
import psycopg2.extras
from flask import Flask, jsonify, request

app = Flask(__name__)
DSN = os.environ.get("GROWHOUSE_DSN", "dbname=growhouse user=ingest host=pg")

METRICS = ("temp_c", "rh_pct", "co2_ppm")


def get_db():
    return psycopg2.connect(DSN)


@app.post("/ingest/<room_id>")
def ingest(room_id):
    readings = request.get_json()["readings"]
    conn = get_db()
    try:
        with conn, conn.cursor() as cur:
            psycopg2.extras.execute_values(
                cur,
                "INSERT INTO readings (room_id, ts, temp_c, rh_pct, co2_ppm) VALUES %s",
                [(room_id, r["ts"], r["temp_c"], r["rh_pct"], r["co2_ppm"]) for r in readings],
            )
    finally:
        conn.close()
    return jsonify(stored=len(readings)), 201


def _summarise(metric, values):
    # rolling z-score to spot CO2 spikes / humidifier failures
    out = {"metric": metric, "mean": statistics.fmean(values), "stdev": statistics.pstdev(values)}
    window = 120
    spikes = 0
    for i in range(window, len(values)):
        w = values[i - window:i]
        mu = sum(w) / window
        sd = math.sqrt(sum((x - mu) ** 2 for x in w) / window) or 1.0
        if abs(values[i] - mu) / sd > 3.5:
            spikes += 1
    out["spikes"] = spikes
    return out


@app.get("/rooms/<room_id>/summary")
def room_summary(room_id):
    since = datetime.now(timezone.utc) - timedelta(days=int(request.args.get("days", 7)))
    conn = get_db()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT temp_c, rh_pct, co2_ppm FROM readings WHERE room_id = %s AND ts >= %s ORDER BY ts",
                (room_id, since),
            )
            rows = cur.fetchall()
    finally:
        conn.close()

    if not rows:
        return jsonify(room=room_id, metrics=[])
    columns = list(zip(*rows))
    with ThreadPoolExecutor(max_workers=len(METRICS)) as pool:
        results = list(pool.map(_summarise, METRICS, columns))
    return jsonify(room=room_id, since=since.isoformat(), metrics=results)
