"""Client for the organ-builders' parts exchange (leather, felts, pallet
springs, reed tongues) used by the restoration workshop's ordering screen."""
import logging
import random
import time

import httpx
from psycopg2.extras import RealDictCursor

log = logging.getLogger(__name__)

BASE_URL = "https://api.organpartsexchange.example/v2"
MAX_ATTEMPTS = 5
BASE_DELAY = 0.5
MAX_DELAY = 8.0
RETRYABLE_STATUS = {429, 502, 503, 504}

# one pooled client for the whole process
_client = httpx.Client(
    base_url=BASE_URL,
    timeout=httpx.Timeout(10.0, connect=3.0),
    limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
    headers={"User-Agent": "organ-workshop/3.2"},
)


class SupplierUnavailable(Exception):
    pass


def _backoff(attempt: int) -> float:
    # full jitter: random delay in [0, min(cap, base * 2^attempt)]
    return random.uniform(0, min(MAX_DELAY, BASE_DELAY * (2 ** attempt)))


def _get(path: str, params: dict) -> dict:
    for attempt in range(MAX_ATTEMPTS):
        try:
            resp = _client.get(path, params=params)
            if resp.status_code not in RETRYABLE_STATUS:
                resp.raise_for_status()
                return resp.json()
            log.warning("parts exchange %s returned %s (attempt %d/%d)",
                        path, resp.status_code, attempt + 1, MAX_ATTEMPTS)
        except (httpx.ConnectError, httpx.ReadTimeout) as exc:
            log.warning("parts exchange %s failed: %s (attempt %d/%d)",
                        path, exc, attempt + 1, MAX_ATTEMPTS)
        if attempt + 1 < MAX_ATTEMPTS:
            time.sleep(_backoff(attempt))
    raise SupplierUnavailable(f"{path} failed after {MAX_ATTEMPTS} attempts")


def price_parts(conn, job_id: int, part_ids: list[int]) -> list[dict]:
    """Price the parts selected on the ordering screen (max 100 per order)."""
    if not part_ids:
        return []
    if len(part_ids) > 100:
        raise ValueError("at most 100 parts per order")

    with conn.cursor(cursor_factory=RealDictCursor) as cur:
        cur.execute(
            "SELECT id, supplier_sku, rank_name, note, quantity "
            "FROM pipe_parts WHERE job_id = %s AND id = ANY(%s)",
            (job_id, part_ids),
        )
        parts = cur.fetchall()

    skus = sorted({p["supplier_sku"] for p in parts if p["supplier_sku"]})
    if not skus:
        return []
    try:
        quote = _get("/prices", {"skus": ",".join(skus), "currency": "GBP"})
    except SupplierUnavailable:
        log.exception("could not price job %s", job_id)
        raise

    prices = {item["sku"]: item for item in quote.get("items", [])}
    return [
        {
            "part_id": p["id"],
            "sku": p["supplier_sku"],
            "description": f"{p['rank_name']} {p['note']}",
            "unit_price": prices.get(p["supplier_sku"], {}).get("price"),
            "lead_time_days": prices.get(p["supplier_sku"], {}).get("lead_time_days"),
            "quantity": p["quantity"],
        }
        for p in parts
    ]
