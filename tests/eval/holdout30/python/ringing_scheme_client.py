"""Client for the national ringing scheme's submissions API.

One instance is created at worker start-up and shared, so the HTTP connection pool is
reused across batches. Transient failures are retried with capped exponential backoff
and full jitter; anything else is logged and raised to the caller.
"""
import hashlib
import json
import logging
import random
import time

import httpx

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {429, 502, 503, 504}


class SchemeUnavailable(Exception):
    pass


class RingingSchemeClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        max_attempts: int = 6,
        base_delay: float = 0.5,
        max_delay: float = 30.0,
    ):
        self._client = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Token {token}"},
            timeout=httpx.Timeout(15.0, connect=3.0),
            limits=httpx.Limits(max_connections=10, max_keepalive_connections=5),
        )
        self._max_attempts = max_attempts
        self._base_delay = base_delay
        self._max_delay = max_delay

    def close(self) -> None:
        self._client.close()

    def _sleep_before_retry(self, attempt: int) -> None:
        ceiling = min(self._max_delay, self._base_delay * (2 ** attempt))
        time.sleep(random.uniform(0, ceiling))

    def submit(self, records: list[dict]) -> dict:
        # Same batch -> same key, so a retried POST is not counted twice by the scheme.
        batch_key = hashlib.sha256(json.dumps(records, sort_keys=True).encode()).hexdigest()
        for attempt in range(self._max_attempts):
            try:
                resp = self._client.post(
                    "/api/v2/records",
                    json={"records": records},
                    headers={"Idempotency-Key": batch_key},
                )
            except httpx.TransportError as exc:
                log.warning("ringing scheme transport error (attempt %d): %s", attempt + 1, exc)
            else:
                if resp.status_code not in RETRYABLE_STATUS:
                    resp.raise_for_status()
                    return resp.json()
                log.warning("ringing scheme returned %s (attempt %d)", resp.status_code, attempt + 1)
            if attempt + 1 < self._max_attempts:
                self._sleep_before_retry(attempt)

        log.error("giving up on batch %s after %d attempts", batch_key[:12], self._max_attempts)
        raise SchemeUnavailable(f"ringing scheme unavailable after {self._max_attempts} attempts")

    def ringer_permits(self, permit_numbers: list[str]) -> list[dict]:
        """Look up many permits in one call rather than one request per ringer."""
        resp = self._client.get("/api/v2/permits", params={"number": ",".join(permit_numbers[:200])})
        resp.raise_for_status()
        return resp.json()["permits"]
