"""
Lab results client for the plasma donation centres -- revised.

Good catch on the retry loop: retrying immediately (or every 1 s) means that
when the lab API has a blip, all 30 centres hammer it in lock-step. This version
uses capped exponential backoff with full jitter, only retries errors that are
actually transient, and logs + re-raises when it finally gives up so the caller
(and Sentry) sees the failure.
"""
from __future__ import annotations

import logging
import random
import time

import httpx

log = logging.getLogger(__name__)

# Created once per process and reused; timeouts are set on the client so every
# call made through it is bounded.
_client = httpx.Client(
    base_url="https://results.lab-partner.example.com/api/v3",
    timeout=httpx.Timeout(10.0, connect=3.0),
    limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
    headers={"User-Agent": "plasma-centres/2.4"},
)

MAX_ATTEMPTS = 6
BASE_DELAY = 0.5   # seconds
MAX_DELAY = 20.0   # cap per sleep
RETRYABLE_STATUS = {429, 502, 503, 504}


class LabUnavailable(RuntimeError):
    pass


def _sleep_before_retry(attempt: int, retry_after: str | None) -> None:
    if retry_after and retry_after.isdigit():
        delay = min(MAX_DELAY, float(retry_after))
    else:
        delay = random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2 ** attempt))
    time.sleep(delay)


def fetch_sample_result(sample_id: str) -> dict:
    """Return the screening result for one plasma sample."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            resp = _client.get(f"/samples/{sample_id}/result")
            if resp.status_code in RETRYABLE_STATUS and attempt < MAX_ATTEMPTS - 1:
                log.warning("lab returned %s for %s (attempt %d)", resp.status_code, sample_id, attempt + 1)
                _sleep_before_retry(attempt, resp.headers.get("Retry-After"))
                continue
            resp.raise_for_status()
            return resp.json()
        except (httpx.ConnectError, httpx.ReadTimeout) as exc:
            if attempt == MAX_ATTEMPTS - 1:
                log.error("lab unreachable for sample %s after %d attempts", sample_id, MAX_ATTEMPTS)
                raise LabUnavailable(sample_id) from exc
            log.warning("transient lab error for %s: %s", sample_id, exc)
            _sleep_before_retry(attempt, None)
        except httpx.HTTPStatusError:
            log.exception("lab rejected request for sample %s", sample_id)
            raise
    raise LabUnavailable(sample_id)
