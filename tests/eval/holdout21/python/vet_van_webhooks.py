"""Inbound VetPay webhooks for Paws on Wheels (mobile vet vans).

VetPay delivers at least once and retries for up to three days, so every
event id is recorded in processed_webhook_events (PRIMARY KEY (provider,
event_id)) in the same transaction as its effects.
"""
import hashlib
import hmac
import json
import logging
import os

import asyncpg
from fastapi import FastAPI, Header, HTTPException, Request

app = FastAPI(title="vetvan-webhooks")
log = logging.getLogger("vetvan.webhooks")

SECRET = os.environ["VETPAY_WEBHOOK_SECRET"].encode()
EVENT_RETENTION_DAYS = 30


@app.on_event("startup")
async def startup() -> None:
    app.state.pool = await asyncpg.create_pool(
        os.environ["DATABASE_URL"], min_size=2, max_size=10, timeout=5, command_timeout=10
    )


@app.on_event("shutdown")
async def shutdown() -> None:
    await app.state.pool.close()


def _signature_ok(body: bytes, signature: str) -> bool:
    digest = hmac.new(SECRET, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(digest, signature)


@app.post("/webhooks/vetpay")
async def vetpay_webhook(request: Request, vetpay_signature: str = Header(...)):
    body = await request.body()
    if not _signature_ok(body, vetpay_signature):
        raise HTTPException(400, "bad signature")
    event = json.loads(body)
    data = event["data"]

    async with app.state.pool.acquire() as conn:
        async with conn.transaction():
            first_time = await conn.fetchval(
                "INSERT INTO processed_webhook_events (provider, event_id, event_type, received_at) "
                "VALUES ('vetpay', $1, $2, now()) ON CONFLICT (provider, event_id) DO NOTHING "
                "RETURNING event_id",
                event["id"],
                event["type"],
            )
            if first_time is None:
                log.info("vetpay event %s already processed", event["id"])
                return {"received": True, "duplicate": True}

            if event["type"] == "invoice.paid":
                await conn.execute(
                    "UPDATE visit_invoices SET status = 'paid', paid_at = now(), vetpay_payment_id = $2 "
                    "WHERE id = $1 AND status <> 'paid'",
                    int(data["invoice_ref"]),
                    data["payment_id"],
                )
            elif event["type"] == "invoice.refunded":
                await conn.execute(
                    "UPDATE visit_invoices SET status = 'refunded', refunded_cents = $2 WHERE id = $1",
                    int(data["invoice_ref"]),
                    int(data["amount_refunded"]),
                )
            else:
                log.info("vetpay event type %s not handled", event["type"])

    return {"received": True}


async def purge_processed_events() -> int:
    """Run hourly by the scheduler; VetPay never redelivers after three days."""
    async with app.state.pool.acquire() as conn:
        status = await conn.execute(
            "DELETE FROM processed_webhook_events WHERE received_at < now() - make_interval(days => $1)",
            EVENT_RETENTION_DAYS,
        )
    deleted = int(status.split()[-1])
    log.info("purged %d processed webhook events", deleted)
    return deleted
