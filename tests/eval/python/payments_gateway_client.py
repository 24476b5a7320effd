import logging
import random
import time

import httpx

log = logging.getLogger(__name__)

client = httpx.Client(base_url="https://api.payments.example", timeout=10.0)


class GatewayError(Exception):
    pass


def charge(customer_id: str, amount_cents: int, idempotency_key: str) -> dict:
    for attempt in range(5):
        try:
            resp = client.post(
                "/v1/charges",
                json={"customer": customer_id, "amount": amount_cents},
                headers={"Idempotency-Key": idempotency_key},
            )
            resp.raise_for_status()
            return resp.json()
        except httpx.HTTPError as exc:
            log.warning("charge attempt %d failed: %s", attempt + 1, exc)
            time.sleep(1)
    raise GatewayError("charge failed after 5 attempts")


def refund(charge_id: str, idempotency_key: str) -> dict:
    delay = 0.5
    for attempt in range(6):
        try:
            resp = client.post(
                f"/v1/charges/{charge_id}/refunds",
                headers={"Idempotency-Key": idempotency_key},
            )
            resp.raise_for_status()
            return resp.json()
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code < 500:
                raise
            log.warning("refund attempt %d got %s", attempt + 1, exc.response.status_code)
        except httpx.TransportError as exc:
            log.warning("refund attempt %d: %s", attempt + 1, exc)
        time.sleep(min(delay, 30) * random.uniform(0.5, 1.5))
        delay *= 2
    raise GatewayError("refund failed after 6 attempts")
