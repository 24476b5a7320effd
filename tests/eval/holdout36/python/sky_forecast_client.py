"""Client for the astronomy seeing/cloud forecast API used by the observatory.

One httpx.Client per process (connection pooling); every call has a timeout and
a bounded retry with exponential backoff and full jitter.
"""
from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime

import httpx

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {429, 502, 503, 504}


@dataclass(frozen=True)
class HourlyForecast:
    at: datetime
    cloud_pct: int
    seeing_arcsec: float
    transparency: str


class ForecastUnavailable(RuntimeError):
    pass


class SkyForecastClient:
    def __init__(self, base_url: str, api_key: str, *, max_attempts: int = 4,
                 base_delay: float = 0.5, max_delay: float = 8.0) -> None:
        self._http = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=httpx.Timeout(10.0, connect=3.0),
            limits=httpx.Limits(max_connections=10, max_keepalive_connections=5),
        )
        self._max_attempts = max_attempts
        self._base_delay = base_delay
        self._max_delay = max_delay

    def close(self) -> None:
        self._http.close()

    def _backoff(self, attempt: int) -> float:
        return random.uniform(0, min(self._max_delay, self._base_delay * 2 ** attempt))

    def _get(self, path: str, params: dict) -> dict:
        last_exc: Exception | None = None
        for attempt in range(self._max_attempts):
            try:
                resp = self._http.get(path, params=params)
                if resp.status_code in RETRYABLE_STATUS:
                    raise httpx.HTTPStatusError("retryable", request=resp.request, response=resp)
                resp.raise_for_status()
                return resp.json()
            except (httpx.TransportError, httpx.HTTPStatusError) as exc:
                status = getattr(getattr(exc, "response", None), "status_code", None)
                if status is not None and status not in RETRYABLE_STATUS:
                    log.error("forecast API refused %s: %s", path, status)
                    raise
                last_exc = exc
                if attempt + 1 < self._max_attempts:
                    delay = self._backoff(attempt)
                    log.warning("forecast API %s failed (%s), retrying in %.2fs", path, exc, delay)
                    time.sleep(delay)
        log.error("forecast API %s failed after %d attempts", path, self._max_attempts)
        raise ForecastUnavailable(path) from last_exc

    def tonight(self, lat: float, lon: float) -> list[HourlyForecast]:
        data = self._get("/v1/astro", {"lat": lat, "lon": lon, "hours": 12})
        return [
            HourlyForecast(
                at=datetime.fromisoformat(h["time"]),
                cloud_pct=int(h["cloud"]),
                seeing_arcsec=float(h["seeing"]),
                transparency=h["transparency"],
            )
            for h in data["hourly"]
        ]
