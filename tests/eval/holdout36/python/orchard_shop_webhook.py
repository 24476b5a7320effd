"""Webhook from the online shop when someone buys a share of a cider pressing.

The shop retries deliveries until it gets a 2xx, sometimes more than once for
the same event, so each event id is recorded in processed_shop_events in the
same transaction as its effects.
"""
import hashlib
import hmac
import json
import logging

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from sqlalchemy import text
from sqlalchemy.orm import Session

from .config import settings
from .db import get_db

router = APIRouter()
log = logging.getLogger(__name__)


def _signature_ok(body: bytes, signature: str) -> bool:
    digest = hmac.new(settings.SHOP_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(digest, signature)


@router.post("/webhooks/shop", status_code=200)
async def shop_webhook(request: Request, x_shop_signature: str = Header(...),
                       db: Session = Depends(get_db)):
    body = await request.body()
    if not _signature_ok(body, x_shop_signature):
        raise HTTPException(status_code=401, detail="bad signature")

    event = json.loads(body)
    if event.get("topic") != "order.paid":
        return {"ignored": event.get("topic")}

    first_time = db.execute(
        text(
            "INSERT INTO processed_shop_events (event_id, topic, received_at) "
            "VALUES (:id, :topic, now()) ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
        ),
        {"id": event["id"], "topic": event["topic"]},
    ).first()
    if first_time is None:
        db.rollback()
        log.info("shop event %s already processed", event["id"])
        return {"duplicate": True}

    order = event["data"]
    shares = [
        {
            "pressing": int(line["sku"].removeprefix("SHARE-")),
            "email": order["customer"]["email"].lower(),
            "bottles": int(line["quantity"]) * 6,
            "order_id": order["id"],
        }
        for line in order["line_items"][:50]
        if line["sku"].startswith("SHARE-")
    ]
    if shares:
        # executemany: one statement, all the share lines of the order.
        db.execute(
            text(
                "INSERT INTO pressing_shares (pressing_id, member_email, bottles, shop_order_id) "
                "VALUES (:pressing, :email, :bottles, :order_id) "
                "ON CONFLICT (shop_order_id, pressing_id) DO NOTHING"
            ),
            shares,
        )
    db.commit()
    return {"ok": True}
