import os

import stripe
from fastapi import APIRouter, Header, HTTPException, Request
from sqlalchemy import text

from .db import engine

router = APIRouter()
stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]


@router.post("/webhooks/stripe")
async def stripe_webhook(request: Request, stripe_signature: str = Header(...)):
    payload = await request.body()
    try:
        event = stripe.Webhook.construct_event(payload, stripe_signature, WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        raise HTTPException(status_code=400, detail="bad signature")

    if event["type"] == "checkout.session.completed":
        session = event["data"]["object"]
        async with engine.begin() as conn:
            await conn.execute(
                text("UPDATE orders SET status = 'paid', paid_at = now() WHERE id = :id"),
                {"id": session["metadata"]["order_id"]},
            )
            await conn.execute(
                text(
                    "INSERT INTO credit_ledger (account_id, amount, reason) "
                    "VALUES (:acct, :amount, 'purchase')"
                ),
                {"acct": session["metadata"]["account_id"], "amount": session["amount_total"]},
            )
    elif event["type"] == "invoice.payment_failed":
        invoice = event["data"]["object"]
        async with engine.begin() as conn:
            await conn.execute(
                text("UPDATE subscriptions SET status = 'past_due' WHERE stripe_id = :sid"),
                {"sid": invoice["subscription"]},
            )
    return {"received": True}
