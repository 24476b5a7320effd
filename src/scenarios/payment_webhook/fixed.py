import os

import asyncpg
import stripe
from fastapi import FastAPI, Header, HTTPException, Request

app = FastAPI()
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]


@app.on_event("startup")
async def open_pool() -> None:
    app.state.pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], max_size=20)


@app.post("/webhooks/stripe")
async def stripe_webhook(request: Request, stripe_signature: str = Header(None)):
    payload = await request.body()
    try:
        event = stripe.Webhook.construct_event(payload, stripe_signature, WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        raise HTTPException(400, "Invalid signature")

    if event["type"] == "payment_intent.succeeded":
        intent = event["data"]["object"]
        async with app.state.pool.acquire() as conn, conn.transaction():
            # A redelivered event id conflicts here and the credit is skipped.
            first = await conn.fetchval(
                "INSERT INTO processed_events (event_id) VALUES ($1) "
                "ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
                event["id"],
            )
            if first is None:
                return {"received": True, "duplicate": True}
            await conn.execute(
                "UPDATE wallets SET balance_cents = balance_cents + $1 WHERE customer_id = $2",
                intent["amount_received"], intent["customer"],
            )
            await conn.execute(
                "INSERT INTO ledger (customer_id, amount_cents, reason) VALUES ($1, $2, 'top-up')",
                intent["customer"], intent["amount_received"],
            )
    return {"received": True}
