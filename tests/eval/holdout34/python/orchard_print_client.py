"""Client for the print-and-post service that mails adoption packs.

When someone adopts a heritage apple tree we send a pack (certificate,
pressed blossom card, map of the orchard). The print house's API is slow
and sometimes 503s during its own batch runs, so calls are retried with
capped exponential backoff and full jitter. Anything we can't deliver is
logged and raised so the Celery task is marked failed and shows up on the
ops board.
"""
import logging
import random
import time
from dataclasses import dataclass

import httpx

log = logging.getLogger("orchard.print")

RETRYABLE_STATUS = {429, 502, 503, 504}


@dataclass(frozen=True)
class PackOrder:
    adoption_id: int
    recipient: str
    address_lines: tuple[str, ...]
    postcode: str
    variety: str
    tree_label: str


class PrintHouseError(RuntimeError):
    pass


class PrintHouseClient:
    def __init__(self, base_url: str, api_key: str, max_attempts: int = 5,
                 base_delay: float = 0.5, max_delay: float = 20.0) -> None:
        self._client = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=httpx.Timeout(10.0, connect=3.0),
            limits=httpx.Limits(max_connections=10, max_keepalive_connections=5),
        )
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay

    def _sleep_before_retry(self, attempt: int) -> None:
        cap = min(self.max_delay, self.base_delay * (2 ** attempt))
        time.sleep(random.uniform(0, cap))

    def submit(self, order: PackOrder) -> str:
        payload = {
            "reference": f"adopt-{order.adoption_id}",
            "template": "heritage-orchard-pack",
            "recipient": {
                "name": order.recipient,
                "address": list(order.address_lines),
                "postcode": order.postcode,
            },
            "fields": {"variety": order.variety, "tree": order.tree_label},
        }
        # The reference doubles as the print house's idempotency key, so a
        # retried POST never prints a second pack.
        headers = {"Idempotency-Key": payload["reference"]}

        last_exc: Exception | None = None
        for attempt in range(self.max_attempts):
            try:
                resp = self._client.post("/v2/jobs", json=payload, headers=headers)
                if resp.status_code in RETRYABLE_STATUS:
                    raise PrintHouseError(f"print house busy: HTTP {resp.status_code}")
                resp.raise_for_status()
                return resp.json()["job_id"]
            except (httpx.TransportError, PrintHouseError) as exc:
                last_exc = exc
                log.warning(
                    "pack for adoption %s failed (attempt %d/%d): %s",
                    order.adoption_id, attempt + 1, self.max_attempts, exc,
                )
                if attempt + 1 < self.max_attempts:
                    self._sleep_before_retry(attempt)

        log.error("giving up on pack for adoption %s", order.adoption_id)
        raise PrintHouseError("print house unavailable") from last_exc

    def close(self) -> None:
        self._client.close()
