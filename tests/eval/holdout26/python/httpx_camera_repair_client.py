"""Parts-supplier client for the vintage camera repair workshop.

Repair tickets need parts (shutter blades, light seals, rangefinder prisms)
that three small suppliers stock. Quotes are fetched from all three at once
so the technician can pick the cheapest in-stock option.
"""
from __future__ import annotations

import logging
import random
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

log = logging.getLogger(__name__)

SUPPLIERS = {
    "lensrepairparts": "https://api.lensrepairparts.example/v1",
    "shutterworks": "https://shutterworks.example/api",
    "classic-optics": "https://classic-optics.example/api/v2",
}

MAX_ATTEMPTS = 5
BASE_DELAY = 0.5
MAX_DELAY = 20.0
BATCH = 100

# one pooled client per supplier, created at import and reused by every ticket
_clients = {
    name: httpx.Client(
        base_url=url,
        timeout=httpx.Timeout(8.0, connect=3.0),
        limits=httpx.Limits(max_connections=10, max_keepalive_connections=5),
    )
    for name, url in SUPPLIERS.items()
}
# I/O-bound fan-out to the three suppliers; threads spend their time waiting on sockets
_io_pool = ThreadPoolExecutor(max_workers=len(SUPPLIERS), thread_name_prefix="supplier")


def _get_with_retry(client: httpx.Client, path: str, params: dict) -> dict:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            resp = client.get(path, params=params)
            if resp.status_code in (429, 502, 503, 504):
                raise httpx.HTTPStatusError("retryable", request=resp.request, response=resp)
            resp.raise_for_status()
            return resp.json()
        except (httpx.TransportError, httpx.HTTPStatusError) as exc:
            retryable = isinstance(exc, httpx.TransportError) or exc.response.status_code in (429, 502, 503, 504)
            if not retryable or attempt == MAX_ATTEMPTS:
                log.error("supplier call %s%s failed after %d attempts: %s", client.base_url, path, attempt, exc)
                raise
            # exponential backoff with full jitter, capped
            delay = random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2 ** attempt))
            log.warning("supplier %s attempt %d failed (%s); retrying in %.1fs", client.base_url, attempt, exc, delay)
            time.sleep(delay)
    raise AssertionError("unreachable")


def _quotes_from(supplier: str, part_numbers: list[str]) -> list[dict]:
    client = _clients[supplier]
    quotes: list[dict] = []
    # the suppliers accept up to 100 part numbers per request
    for i in range(0, len(part_numbers), BATCH):
        chunk = part_numbers[i : i + BATCH]
        body = _get_with_retry(client, "/stock", {"parts": ",".join(chunk)})
        quotes.extend({"supplier": supplier, **item} for item in body["items"])
    return quotes


def best_quotes(part_numbers: list[str]) -> dict[str, dict]:
    """Cheapest in-stock quote per part number across all suppliers."""
    futures = {name: _io_pool.submit(_quotes_from, name, part_numbers) for name in SUPPLIERS}
    best: dict[str, dict] = {}
    for name, fut in futures.items():
        try:
            quotes = fut.result(timeout=60)
        except Exception:
            log.exception("no quotes from %s for this ticket", name)
            continue
        for q in quotes:
            if q.get("in_stock") and (q["part"] not in best or q["price"] < best[q["part"]]["price"]):
                best[q["part"]] = q
    return best
