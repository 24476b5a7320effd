"""
Stripe webhook receiver.

- asyncpg pool + aiohttp session are created once per process (lifespan)
- every event id is recorded in processed_events; redeliveries are no-ops
- failures are logged and re-raised so Stripe retries the delivery
"""
import asyncio
import logging
import os
from contextlib import asynccontextmanager

import aiohttp
import asyncpg
import stripe
from fastapi import FastAPI, HTTPException, Request

log = logging.getLogger("webhooks")

WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]
SLACK_WEBHOOK_URL = os.environ.get("SLACK_WEBHOOK_URL")


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.pool = await asyncpg.create_pool(
        os.environ["DATABASE_URL"], min_size=2, max_size=10, command_timeout=10
    )
    app.state.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5))
    yield
    await app.state.http.close()
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


async def _apply(conn: asyncpg.Connection, event: dict) -> None:
    obj = event["data"]["object"]
    if event["type"] == "invoice.paid":
        await conn.execute(
            "UPDATE subscriptions SET status = 'active', current_period_end = to_timestamp($2) "
            "WHERE stripe_subscription_id = $1",
            obj["subscription"],
            obj["lines"]["data"][0]["period"]["end"],
        )
    elif event["type"] == "customer.subscription.deleted":
        await conn.execute(
            "UPDATE subscriptions SET status = 'canceled' WHERE stripe_subscription_id = $1",
            obj["id"],
        )


@app.post("/webhooks/stripe")
async def stripe_webhook(request: Request):
    payload = await request.body()
    signature = request.headers.get("stripe-signature", "")
    try:
        event = stripe.Webhook.construct_event(payload, signature, WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        log.warning("rejected webhook with bad signature")
        raise HTTPException(status_code=400, detail="invalid signature")

    async with request.app.state.pool.acquire() as conn:
        try:
            async with conn.transaction():
                first_time = await conn.fetchval(
                    "INSERT INTO processed_events (event_id, event_type) VALUES ($1, $2) "
                    "ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
                    event["id"],
                    event["type"],
                )
                if first_time is None:
                    log.info("duplicate delivery %s ignored", event["id"])
                    return {"status": "duplicate"}
                await _apply(conn, event)
        except Exception:
            log.exception("failed to process stripe event %s", event["id"])
            raise

    if SLACK_WEBHOOK_URL and event["type"] == "customer.subscription.deleted":
        try:
            async with request.app.state.http.post(
                SLACK_WEBHOOK_URL, json={"text": f"Subscription canceled: {event['id']}"}
            ) as resp:
                resp.raise_for_status()
        except (aiohttp.ClientError, asyncio.TimeoutError):
            # notification is best effort; the event itself is already committed
            log.warning("slack notification failed for %s", event["id"], exc_info=True)

    return {"status": "ok"}
