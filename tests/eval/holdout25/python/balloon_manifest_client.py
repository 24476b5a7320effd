"""Client for submitting hot-air balloon flight manifests to the aviation
authority's notification API. Used by the booking service (gunicorn, 4 workers)
and by the morning pre-flight Celery job.
"""
import logging
import random
import time
from dataclasses import dataclass, asdict

import requests
from requests.adapters import HTTPAdapter

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {429, 502, 503, 504}


@dataclass
class Manifest:
    operator_id: str
    flight_ref: str
    launch_site: str
    pilot_licence: str
    passengers: list
    envelope_reg: str


class ManifestSubmissionError(RuntimeError):
    pass


class ManifestClient:
    def __init__(self, base_url: str, api_key: str, max_attempts: int = 5,
                 base_delay: float = 0.5, max_delay: float = 20.0):
        self.base_url = base_url.rstrip("/")
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        # One pooled session per process, reused for every submission.
        self.session = requests.Session()
        self.session.mount("https://", HTTPAdapter(pool_connections=4,
                                                   pool_maxsize=16))
        self.session.headers["Authorization"] = f"Bearer {api_key}"

    def _sleep_before_retry(self, attempt: int) -> None:
        # Full jitter, exponential, capped.
        ceiling = min(self.max_delay, self.base_delay * (2 ** attempt))
        time.sleep(random.uniform(0, ceiling))

    def submit(self, manifest: Manifest) -> str:
        payload = asdict(manifest)
        # Same key on every attempt: the authority dedupes on it, so a retry
        # after a lost response never files the flight twice.
        headers = {"Idempotency-Key": f"{manifest.operator_id}:{manifest.flight_ref}"}
        last_error = None
        for attempt in range(self.max_attempts):
            try:
                resp = self.session.post(
                    f"{self.base_url}/v2/manifests",
                    json=payload,
                    headers=headers,
                    timeout=(3.05, 15),
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                last_error = exc
                log.warning("manifest %s attempt %d failed: %s",
                            manifest.flight_ref, attempt + 1, exc)
            else:
                if resp.status_code in RETRYABLE_STATUS:
                    last_error = ManifestSubmissionError(
                        f"HTTP {resp.status_code}")
                    log.warning("manifest %s attempt %d got %s",
                                manifest.flight_ref, attempt + 1,
                                resp.status_code)
                else:
                    resp.raise_for_status()
                    return resp.json()["notification_id"]
            if attempt + 1 < self.max_attempts:
                self._sleep_before_retry(attempt)

        log.error("giving up on manifest %s after %d attempts",
                  manifest.flight_ref, self.max_attempts)
        raise ManifestSubmissionError(
            f"could not submit {manifest.flight_ref}") from last_error
