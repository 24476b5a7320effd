"""Client for the reference lab (IDEXX-style) results API used by the clinic app.

The client is created once per process and shared; timeouts live on the client
so every call made through it inherits them.
"""
import logging
import random
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from clinic.settings import LAB_API_KEY, LAB_BASE_URL

log = logging.getLogger(__name__)

_client = httpx.Client(
    base_url=LAB_BASE_URL,
    headers={"X-Api-Key": LAB_API_KEY},
    timeout=httpx.Timeout(10.0, connect=3.0),
    limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
)

RETRYABLE = {429, 502, 503, 504}
MAX_ATTEMPTS = 5


class LabApiError(Exception):
    pass


def _get(path: str, **params) -> httpx.Response:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            resp = _client.get(path, params=params)
            if resp.status_code not in RETRYABLE:
                resp.raise_for_status()
                return resp
        except httpx.TransportError as exc:
            log.warning("lab API transport error on %s (attempt %d): %s", path, attempt, exc)
            if attempt == MAX_ATTEMPTS:
                raise
        if attempt < MAX_ATTEMPTS:
            delay = min(30.0, 0.5 * 2 ** attempt) * random.uniform(0.5, 1.0)
            time.sleep(delay)
    raise LabApiError(f"lab API still failing after {MAX_ATTEMPTS} attempts: {path}")


def fetch_result(accession: str) -> dict:
    try:
        return _get(f"/v2/results/{accession}").json()
    except httpx.HTTPStatusError as exc:
        log.error("lab result %s failed: %s %s", accession, exc.response.status_code,
                  exc.response.text[:200])
        raise


def fetch_report_pdf(accession: str) -> bytes:
    return _get(f"/v2/results/{accession}/report.pdf").content


def fetch_pdfs(accessions: list[str]) -> dict[str, bytes]:
    """Download several report PDFs at once (network-bound, so threads are fine)."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(zip(accessions, pool.map(fetch_report_pdf, accessions)))
