"""Stripe webhook for the invoicing SaaS (FastAPI, 4 uvicorn workers x 3 pods)."""
import logging
import os

import stripe
from fastapi import APIRouter, Header, HTTPException, Request
from psycopg_pool import ConnectionPool

log = logging.getLogger(__name__)
router = APIRouter()

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]

# created once per process; connections are reused across requests
pool = ConnectionPool(os.environ["DATABASE_URL"], min_size=1, max_size=10, timeout=5)


@router.post("/webhooks/stripe")
async def stripe_webhook(request: Request, stripe_signature: str = Header(None)):
    body = await request.body()
    try:
        event = stripe.Webhook.construct_event(body, stripe_signature, WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        raise HTTPException(400, "invalid signature")

    with pool.connection() as conn, conn.transaction():
        inserted = conn.execute(
            "INSERT INTO processed_stripe_events (event_id, type) VALUES (%s, %s) "
            "ON CONFLICT (event_id) DO NOTHING",
            (event["id"], event["type"]),
        ).rowcount
        if inserted == 0:
            log.info("duplicate stripe event %s ignored", event["id"])
            return {"received": True, "duplicate": True}

        try:
            apply_event(conn, event)
        except Exception:
            log.exception("failed to apply stripe event %s", event["id"])
            raise  # transaction rolls back, dedupe row too -> Stripe retries

    return {"received": True}


def apply_event(conn, event) -> None:
    obj = event["data"]["object"]
    if event["type"] == "invoice.paid":
        conn.execute(
            "UPDATE invoices SET status = 'paid', paid_cents = %s, paid_at = now() "
            "WHERE stripe_invoice_id = %s AND status <> 'paid'",
            (obj["amount_paid"], obj["id"]),
        )
        conn.execute(
            "INSERT INTO payments (invoice_id, amount_cents, stripe_charge_id) "
            "SELECT id, %s, %s FROM invoices WHERE stripe_invoice_id = %s",
            (obj["amount_paid"], obj.get("charge"), obj["id"]),
        )
    elif event["type"] == "invoice.payment_failed":
        conn.execute(
            "UPDATE invoices SET status = 'past_due' WHERE stripe_invoice_id = %s AND status = 'open'",
            (obj["id"],),
        )
    elif event["type"] == "customer.subscription.deleted":
        conn.execute(
            "UPDATE accounts SET plan = 'free', subscription_id = NULL WHERE subscription_id = %s",
            (obj["id"],),
        )
    else:
        log.debug("ignoring stripe event type %s", event["type"])
