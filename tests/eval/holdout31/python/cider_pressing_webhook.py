# orchard/webhooks.py
# The community orchard sells "bring your own apples" pressing slots through its
# online shop. The shop posts `order.paid` events here; they can arrive more than
# once (the shop retries on any non-2xx and sometimes on slow 2xx too).
import hashlib
import hmac
import json
import logging
import os

from fastapi import APIRouter, Header, HTTPException, Request
from sqlalchemy import text

from orchard.db import engine

router = APIRouter()
log = logging.getLogger("orchard.webhooks")

SHOP_SECRET = os.environ["SHOP_WEBHOOK_SECRET"].encode()


def _valid_signature(body: bytes, signature: str) -> bool:
    digest = hmac.new(SHOP_SECRET, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(digest, signature)


@router.post("/webhooks/shop")
async def shop_order_paid(request: Request, x_shop_signature: str = Header(...)):
    body = await request.body()
    if not _valid_signature(body, x_shop_signature):
        raise HTTPException(status_code=401, detail="bad signature")

    event = json.loads(body)
    if event["topic"] != "order.paid":
        return {"ignored": event["topic"]}

    order = event["payload"]
    try:
        with engine.begin() as conn:
            first_time = conn.execute(
                text(
                    "INSERT INTO processed_shop_events (event_id, topic, received_at) "
                    "VALUES (:eid, :topic, now()) ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
                ),
                {"eid": event["id"], "topic": event["topic"]},
            ).first()
            if first_time is None:
                log.info("duplicate delivery of shop event %s", event["id"])
                return {"status": "duplicate"}

            for line in order["line_items"]:
                if line["sku"] != "PRESS-SLOT":
                    continue
                conn.execute(
                    text(
                        "INSERT INTO pressing_bookings (pressing_day_id, order_ref, customer_email, crates) "
                        "VALUES (:day, :ref, :email, :crates) "
                        "ON CONFLICT (order_ref, pressing_day_id) DO NOTHING"
                    ),
                    {
                        "day": int(line["properties"]["pressing_day_id"]),
                        "ref": order["order_number"],
                        "email": order["customer"]["email"],
                        "crates": int(line["quantity"]),
                    },
                )
    except Exception:
        # a non-2xx makes the shop redeliver, and the event row was rolled back with everything else
        log.exception("failed to apply shop event %s", event.get("id"))
        raise

    return {"status": "applied"}
