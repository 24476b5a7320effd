"""Poll installed inverters for yesterday's production and parse the CSV exports.

Runs every night from cron on one worker VM (single process).
I/O is fanned out with threads; the CSV crunching goes to a process pool.
"""
import csv
import io
import logging
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed

import httpx

log = logging.getLogger("inverter_poller")

VENDOR_API = os.environ.get("INVERTER_API", "https://monitoring.sunvendor.example/api")
client = httpx.Client(
    base_url=VENDOR_API,
    timeout=httpx.Timeout(20.0, connect=5.0),
    limits=httpx.Limits(max_connections=32),
    headers={"X-Api-Key": os.environ.get("INVERTER_KEY", "")},
)


def download_export(serial: str) -> tuple[str, str]:
    resp = client.get(f"/inverters/{serial}/export", params={"range": "yesterday"})
    resp.raise_for_status()
    return serial, resp.text


def summarize_csv(serial_and_text: tuple[str, str]) -> dict:
    serial, text = serial_and_text
    total_wh = 0.0
    peak_w = 0.0
    for row in csv.DictReader(io.StringIO(text)):
        w = float(row["ac_power_w"])
        total_wh += w * (5 / 60)
        peak_w = max(peak_w, w)
    return {"serial": serial, "kwh": round(total_wh / 1000, 2), "peak_w": peak_w}


def run(serials: list[str]) -> list[dict]:
    exports = []
    with ThreadPoolExecutor(max_workers=16) as io_pool:
        futures = {io_pool.submit(download_export, s): s for s in serials}
        for fut in as_completed(futures):
            serial = futures[fut]
            try:
                exports.append(fut.result())
            except httpx.HTTPError as exc:
                log.warning("export failed for %s: %s", serial, exc)

    with ProcessPoolExecutor() as cpu_pool:
        return list(cpu_pool.map(summarize_csv, exports, chunksize=8))


if __name__ == "__main__":
    import json
    import sys

    serials = [line.strip() for line in open(sys.argv[1]) if line.strip()]
    logging.basicConfig(level=logging.INFO)
    print(json.dumps(run(serials), indent=2))
