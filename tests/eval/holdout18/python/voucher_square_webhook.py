"""
Square webhook for escape-game gift vouchers -- idempotent version.

As discussed: Square delivers at-least-once and retries on any non-2xx, so the
handler must tolerate the same `event_id` arriving twice. We record the event id
in `processed_webhook_events` (PRIMARY KEY on event_id) inside the same
transaction as the side effects; a duplicate insert means "already handled".
"""
import base64
import hashlib
import hmac
import json
import logging
import os
import secrets

from fastapi import FastAPI, Header, HTTPException, Request
from sqlalchemy import create_engine, text

log = logging.getLogger("vouchers.webhook")
app = FastAPI()

engine = create_engine(os.environ["DATABASE_URL"], pool_size=5, pool_pre_ping=True)
SIGNATURE_KEY = os.environ["SQUARE_SIGNATURE_KEY"].encode()
NOTIFICATION_URL = os.environ["SQUARE_NOTIFICATION_URL"]


def _valid_signature(body: bytes, signature: str) -> bool:
    digest = hmac.new(SIGNATURE_KEY, NOTIFICATION_URL.encode() + body, hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode(), signature or "")


@app.post("/webhooks/square")
async def square_webhook(request: Request, x_square_hmacsha256_signature: str = Header(None)):
    body = await request.body()
    if not _valid_signature(body, x_square_hmacsha256_signature):
        raise HTTPException(401, "bad signature")

    event = json.loads(body)
    if event.get("type") != "payment.updated":
        return {"ignored": event.get("type")}
    payment = event["data"]["object"]["payment"]
    if payment.get("status") != "COMPLETED":
        return {"ignored": payment.get("status")}

    try:
        with engine.begin() as conn:
            first_time = conn.execute(
                text("INSERT INTO processed_webhook_events (event_id, provider) VALUES (:id, 'square') "
                     "ON CONFLICT (event_id) DO NOTHING"),
                {"id": event["event_id"]},
            ).rowcount == 1
            if not first_time:
                return {"duplicate": True}

            skus = [item["sku"] for item in payment.get("note_items", [])]
            products = conn.execute(
                text("SELECT sku, room_id, players FROM voucher_products WHERE sku = ANY(:skus)"),
                {"skus": skus},
            ).mappings().all()
            # one executemany for all voucher lines
            if products:
                conn.execute(
                    text("INSERT INTO vouchers (code, room_id, players, square_payment_id) "
                         "VALUES (:code, :room, :players, :pid)"),
                    [{"code": secrets.token_urlsafe(8).upper(), "room": p["room_id"],
                      "players": p["players"], "pid": payment["id"]} for p in products],
                )
    except Exception:
        log.exception("failed to process square event %s", event.get("event_id"))
        raise
    return {"ok": True}
