"""
Polls the regional telematics gateways and stores decoded positions.

Single process, run by cron every minute (`flock -n /tmp/poller.lock python -m telematics.gateway_poller`).

- Network fan-out (one request per regional gateway, ~6 of them) runs on a thread pool:
  the threads spend their time waiting on sockets, so the GIL is not a problem.
- Decoding the CAN payloads is pure-Python CPU work, so it goes to a process pool.
"""
import logging
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import httpx
import psycopg2
import psycopg2.extras

from telematics.can_codec import decode_payloads  # CPU heavy: bit-unpacking + scaling tables

log = logging.getLogger("gateway_poller")

GATEWAYS = [g.strip() for g in os.environ["GATEWAY_URLS"].split(",") if g.strip()]
MAX_ATTEMPTS = 4

client = httpx.Client(
    timeout=httpx.Timeout(10.0, connect=3.0),
    headers={"Authorization": f"Bearer {os.environ['GATEWAY_TOKEN']}"},
)


def fetch_gateway(url: str) -> list[dict]:
    """GET /positions/pending from one gateway, retrying with capped exponential backoff + jitter."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            resp = client.get(f"{url}/positions/pending")
            resp.raise_for_status()
            return resp.json()["frames"]
        except (httpx.TransportError, httpx.HTTPStatusError) as exc:
            if attempt == MAX_ATTEMPTS:
                log.error("gateway %s failed after %d attempts: %s", url, attempt, exc)
                raise
            delay = min(30.0, 0.5 * 2 ** attempt) * random.uniform(0.5, 1.5)
            log.warning("gateway %s attempt %d failed (%s), retrying in %.1fs", url, attempt, exc, delay)
            time.sleep(delay)
    return []


def store(conn, positions: list[dict]) -> None:
    with conn.cursor() as cur:
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO vehicle_positions (vehicle_id, recorded_at, lat, lng, speed_kmh, fuel_pct) "
            "VALUES %s ON CONFLICT (vehicle_id, recorded_at) DO NOTHING",
            [(p["vehicle_id"], p["recorded_at"], p["lat"], p["lng"], p["speed_kmh"], p["fuel_pct"])
             for p in positions],
            page_size=1000,
        )
    conn.commit()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    conn = psycopg2.connect(os.environ["FLEET_DSN"], connect_timeout=5)

    with ThreadPoolExecutor(max_workers=len(GATEWAYS)) as io_pool:
        results = list(io_pool.map(fetch_gateway, GATEWAYS))

    frames = [f for batch in results for f in batch]
    log.info("fetched %d frames from %d gateways", len(frames), len(GATEWAYS))
    if not frames:
        return

    chunks = [frames[i:i + 5000] for i in range(0, len(frames), 5000)]
    with ProcessPoolExecutor() as cpu_pool:
        for positions in cpu_pool.map(decode_payloads, chunks):
            store(conn, positions)

    conn.close()


if __name__ == "__main__":
    main()
