"""Card-provider webhook for community firewood orders (v2).

The provider retries a delivery until it gets a 2xx, and may send the same event more
than once, so every event id is recorded before anything is applied.
"""
import logging
import math

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from .config import settings
from .db import get_db
from .signing import SignatureError, verify_and_parse
from .tasks import send_delivery_confirmation

log = logging.getLogger(__name__)
router = APIRouter()

TRAILER_CAPACITY_M3 = 3.0


@router.post("/webhooks/payments")
async def payment_webhook(request: Request, db: AsyncSession = Depends(get_db)):
    payload = await request.body()
    try:
        event = verify_and_parse(payload, request.headers.get("Payments-Signature", ""), settings.PAYMENTS_WEBHOOK_SECRET)
    except SignatureError:
        log.warning("rejected payment webhook with bad signature")
        raise HTTPException(status_code=400, detail="bad signature")

    if event["type"] != "checkout.completed":
        return {"received": True}

    order_id = int(event["data"]["metadata"]["firewood_order_id"])
    async with db.begin():
        first_time = await db.execute(
            text(
                "INSERT INTO processed_payment_events (event_id, event_type, received_at) "
                "VALUES (:id, :type, now()) ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
            ),
            {"id": event["id"], "type": event["type"]},
        )
        if first_time.first() is None:
            log.info("payment event %s already processed", event["id"])
            return {"received": True, "duplicate": True}

        order = (
            await db.execute(
                text(
                    "UPDATE firewood_orders SET status = 'paid', paid_at = now() "
                    "WHERE id = :id AND status = 'awaiting_payment' "
                    "RETURNING id, yard_id, cubic_metres, preferred_date, delivery_postcode"
                ),
                {"id": order_id},
            )
        ).mappings().first()
        if order is None:
            log.warning("event %s for order %s that is not awaiting payment", event["id"], order_id)
            return {"received": True}

        # Decrement in one statement; the WHERE clause keeps stock from going negative.
        taken = await db.execute(
            text("UPDATE yards SET kiln_dried_m3 = kiln_dried_m3 - :v WHERE id = :yard AND kiln_dried_m3 >= :v"),
            {"v": order["cubic_metres"], "yard": order["yard_id"]},
        )
        status = "scheduled" if taken.rowcount == 1 else "awaiting_stock"
        await db.execute(
            text(
                "INSERT INTO delivery_runs (order_id, yard_id, earliest, postcode, loads, status) "
                "VALUES (:o, :y, :e, :p, :l, :s)"
            ),
            {
                "o": order["id"],
                "y": order["yard_id"],
                "e": order["preferred_date"],
                "p": order["delivery_postcode"],
                "l": math.ceil(order["cubic_metres"] / TRAILER_CAPACITY_M3),
                "s": status,
            },
        )

    send_delivery_confirmation.delay(order_id)
    return {"received": True}
