"""Client for the AudioLink cloud (remote hearing-aid fine-tuning sessions).

One instance per process, created at startup and shared; httpx keeps the
connections alive. Only transport errors, 429 and 5xx gateway errors are
retried, with capped exponential backoff and full jitter.
"""
import logging
import random
import time
from collections.abc import Iterable

import httpx

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {429, 502, 503, 504}
MAX_ATTEMPTS = 5
BASE_DELAY_S = 0.5
MAX_DELAY_S = 8.0
BATCH_SIZE = 100


class AudioLinkError(RuntimeError):
    pass


class AudioLinkClient:
    def __init__(self, base_url: str, api_key: str, transport: httpx.BaseTransport | None = None):
        self._client = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=httpx.Timeout(10.0, connect=3.0),
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def _request(self, method: str, path: str, **kwargs) -> httpx.Response:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                resp = self._client.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                if attempt == MAX_ATTEMPTS:
                    log.error("AudioLink %s %s failed after %d attempts: %s", method, path, attempt, exc)
                    raise AudioLinkError(f"{method} {path} unreachable") from exc
                log.warning("AudioLink %s %s transport error (attempt %d): %s", method, path, attempt, exc)
            else:
                if resp.status_code not in RETRYABLE_STATUS:
                    resp.raise_for_status()
                    return resp
                if attempt == MAX_ATTEMPTS:
                    log.error("AudioLink %s %s still %d after %d attempts", method, path, resp.status_code, attempt)
                    resp.raise_for_status()
            delay = min(MAX_DELAY_S, BASE_DELAY_S * 2 ** (attempt - 1))
            time.sleep(random.uniform(0, delay))
        raise AssertionError("unreachable")

    def session_summaries(self, fitting_ids: Iterable[str]) -> dict[str, dict]:
        """Summaries for many fittings, fetched BATCH_SIZE ids per request."""
        ids = list(dict.fromkeys(fitting_ids))
        out: dict[str, dict] = {}
        for i in range(0, len(ids), BATCH_SIZE):
            chunk = ids[i : i + BATCH_SIZE]
            resp = self._request("GET", "/v2/sessions", params={"fitting_id": ",".join(chunk)})
            for item in resp.json()["items"]:
                out[item["fitting_id"]] = item
        return out

    def schedule_remote_session(self, fitting_id: str, starts_at_iso: str, idempotency_key: str) -> dict:
        # AudioLink deduplicates POSTs on Idempotency-Key, so a retried POST books once.
        resp = self._request(
            "POST",
            "/v2/sessions",
            json={"fitting_id": fitting_id, "starts_at": starts_at_iso},
            headers={"Idempotency-Key": idempotency_key},
        )
        return resp.json()
