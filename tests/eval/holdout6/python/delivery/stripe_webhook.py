"""Stripe webhook for the food-delivery app (payment_intent.* events).

- signature verified with the endpoint secret
- every event id is recorded in `stripe_events` (PRIMARY KEY event_id) in the same
  transaction as its effects, so Stripe's redeliveries are no-ops
- the restaurant dispatch call retries with capped exponential backoff + jitter
"""
import logging
import random
import time

import httpx
import stripe
from fastapi import APIRouter, BackgroundTasks, HTTPException, Request
from sqlalchemy import text

from .db import SessionLocal
from .settings import settings

log = logging.getLogger("payments.webhook")
router = APIRouter()

dispatch = httpx.Client(base_url=settings.dispatch_url, timeout=httpx.Timeout(5.0, connect=2.0))


def notify_restaurant(order_id: int, max_attempts: int = 5) -> None:
    for attempt in range(1, max_attempts + 1):
        try:
            resp = dispatch.post("/v1/orders/paid", json={"order_id": order_id})
            resp.raise_for_status()
            return
        except (httpx.TransportError, httpx.HTTPStatusError) as exc:
            if attempt == max_attempts:
                log.error("dispatch failed for order %s after %d attempts", order_id, attempt)
                raise
            delay = min(30.0, 0.5 * 2 ** attempt) * random.uniform(0.5, 1.0)
            log.warning("dispatch attempt %d for order %s failed: %s; retry in %.1fs", attempt, order_id, exc, delay)
            time.sleep(delay)


def notify_or_flag(order_id: int) -> None:
    """Runs after the 200 has been sent (BackgroundTasks), never inside the request."""
    try:
        notify_restaurant(order_id)
    except Exception:
        log.exception("order %s paid but restaurant not notified; flagged for ops", order_id)
        raise


@router.post("/webhooks/stripe")
async def stripe_webhook(request: Request, background: BackgroundTasks):
    payload = await request.body()
    sig = request.headers.get("Stripe-Signature", "")
    # only used for the log line; auth is the signature check below
    log.info("stripe webhook from %s", request.headers.get("X-Forwarded-For", request.client.host))
    try:
        event = stripe.Webhook.construct_event(payload, sig, settings.stripe_webhook_secret)
    except (ValueError, stripe.error.SignatureVerificationError):
        log.warning("rejected webhook with bad signature")
        raise HTTPException(400, "invalid signature")

    if event["type"] != "payment_intent.succeeded":
        return {"ignored": event["type"]}

    order_id = int(event["data"]["object"]["metadata"]["order_id"])
    with SessionLocal.begin() as db:
        inserted = db.execute(
            text("INSERT INTO stripe_events (event_id, type) VALUES (:id, :type) ON CONFLICT (event_id) DO NOTHING"),
            {"id": event["id"], "type": event["type"]},
        ).rowcount
        if inserted == 0:
            log.info("duplicate stripe event %s", event["id"])
            return {"duplicate": True}
        db.execute(
            text("UPDATE orders SET status = 'paid', paid_at = now() WHERE id = :id AND status = 'awaiting_payment'"),
            {"id": order_id},
        )

    background.add_task(notify_or_flag, order_id)
    return {"ok": True}
