"""Smallholding egg box subscriptions - billing webhook.

Stripe sends `invoice.paid` each month for every subscriber. We extend the
subscription and queue the next few weekly egg box drops on the delivery
round. Stripe retries deliveries and can send the same event more than once,
so every event id is recorded in `stripe_events` inside the same transaction.
"""
import logging
import os
from datetime import date, timedelta

import asyncpg
import stripe
from fastapi import FastAPI, HTTPException, Request

log = logging.getLogger("eggs.billing")
app = FastAPI()

ENDPOINT_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]
DROPS_PER_INVOICE = 4


@app.on_event("startup")
async def startup() -> None:
    app.state.pool = await asyncpg.create_pool(
        os.environ["DATABASE_URL"],
        min_size=2,
        max_size=10,
        timeout=5,
        command_timeout=10,
    )


@app.post("/webhooks/stripe")
async def stripe_webhook(request: Request):
    payload = await request.body()
    try:
        event = stripe.Webhook.construct_event(
            payload, request.headers.get("stripe-signature", ""), ENDPOINT_SECRET
        )
    except (ValueError, stripe.error.SignatureVerificationError) as exc:
        log.warning("rejected stripe webhook: %s", exc)
        raise HTTPException(status_code=400, detail="invalid payload") from exc

    if event["type"] != "invoice.paid":
        return {"received": True}

    invoice = event["data"]["object"]
    customer_id = invoice["customer"]

    async with app.state.pool.acquire() as conn:
        async with conn.transaction():
            first_time = await conn.fetchval(
                "INSERT INTO stripe_events (event_id, event_type) VALUES ($1, $2) "
                "ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
                event["id"],
                event["type"],
            )
            if first_time is None:
                log.info("duplicate stripe event %s ignored", event["id"])
                return {"received": True, "duplicate": True}

            sub = await conn.fetchrow(
                "UPDATE egg_subscriptions SET paid_until = paid_until + interval '28 days' "
                "WHERE stripe_customer_id = $1 AND status = 'active' "
                "RETURNING id, box_size, drop_day",
                customer_id,
            )
            if sub is None:
                log.error("paid invoice %s for unknown customer %s", invoice["id"], customer_id)
                raise HTTPException(status_code=404, detail="unknown subscriber")

            first_drop = _next_weekday(date.today(), sub["drop_day"])
            await conn.executemany(
                "INSERT INTO egg_drops (subscription_id, drop_date, box_size) VALUES ($1, $2, $3) "
                "ON CONFLICT (subscription_id, drop_date) DO NOTHING",
                [
                    (sub["id"], first_drop + timedelta(weeks=i), sub["box_size"])
                    for i in range(DROPS_PER_INVOICE)
                ],
            )

    return {"received": True}


def _next_weekday(today: date, weekday: int) -> date:
    days_ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=days_ahead)
