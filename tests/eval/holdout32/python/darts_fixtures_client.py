"""Client for the county darts association's fixtures API.

Used by the league site's hourly import job and by the captain's "refresh
fixtures" button. The association's server is a small VPS that falls over on
match nights, so calls are short, pooled and retried politely.
"""
import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime

import httpx

log = logging.getLogger(__name__)

BASE_URL = "https://fixtures.countydarts.example/api/v1"
MAX_ATTEMPTS = 4
BASE_DELAY = 0.5   # seconds
MAX_DELAY = 8.0    # cap for any single wait
RETRYABLE = {429, 502, 503, 504}


@dataclass(frozen=True)
class Fixture:
    external_id: str
    home: str
    away: str
    venue: str
    throw_off: datetime


class FixturesClient:
    def __init__(self, api_key: str):
        self._client = httpx.Client(
            base_url=BASE_URL,
            headers={"X-Api-Key": api_key},
            timeout=httpx.Timeout(connect=3.0, read=10.0, write=5.0, pool=2.0),
            limits=httpx.Limits(max_connections=10, max_keepalive_connections=5),
        )

    def close(self) -> None:
        self._client.close()

    def _get(self, path: str, params: dict | None = None) -> dict:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                resp = self._client.get(path, params=params)
                if resp.status_code in RETRYABLE and attempt < MAX_ATTEMPTS:
                    raise httpx.HTTPStatusError("retryable", request=resp.request, response=resp)
                resp.raise_for_status()
                return resp.json()
            except (httpx.TransportError, httpx.HTTPStatusError) as exc:
                status = getattr(getattr(exc, "response", None), "status_code", None)
                if attempt == MAX_ATTEMPTS or (status is not None and status not in RETRYABLE):
                    log.error("fixtures API %s failed after %s attempts: %s", path, attempt, exc)
                    raise
                # Exponential backoff with full jitter, capped.
                delay = random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2 ** (attempt - 1)))
                log.warning("fixtures API %s attempt %s failed (%s); retrying in %.2fs",
                            path, attempt, exc, delay)
                time.sleep(delay)
        raise AssertionError("unreachable")

    def fixtures_for_division(self, division_code: str, season: str) -> list[Fixture]:
        data = self._get(f"/divisions/{division_code}/fixtures",
                         params={"season": season, "per_page": 100})
        return [
            Fixture(
                external_id=f["id"],
                home=f["home_team"],
                away=f["away_team"],
                venue=f["venue"],
                throw_off=datetime.fromisoformat(f["throw_off"]),
            )
            for f in data["fixtures"]
        ]
