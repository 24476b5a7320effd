"""Courier status webhook for posted sourdough starter jars.

When a member can't collect in person, dried starter flakes are posted by
courier. The courier platform calls us on each tracking event and retries
(with the same event id) until it gets a 2xx.
"""
import hashlib
import hmac
import logging
import os

from fastapi import APIRouter, Header, HTTPException, Request
from sqlalchemy import text

from app.db import engine

router = APIRouter()
log = logging.getLogger("exchange.courier")

COURIER_SECRET = os.environ["COURIER_WEBHOOK_SECRET"].encode()

STATUS_MAP = {
    "collected": "in_transit",
    "out_for_delivery": "out_for_delivery",
    "delivered": "delivered",
    "returned_to_sender": "returned",
}


def _check_signature(body: bytes, signature: str) -> None:
    digest = hmac.new(COURIER_SECRET, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(digest, signature):
        raise HTTPException(status_code=401, detail="bad signature")


@router.post("/webhooks/courier")
async def courier_event(request: Request, x_courier_signature: str = Header(...)):
    body = await request.body()
    _check_signature(body, x_courier_signature)
    event = await request.json()

    new_status = STATUS_MAP.get(event.get("status"))
    if new_status is None:
        return {"ignored": event.get("status")}

    try:
        async with engine.begin() as conn:
            # Record the event id first; a redelivery hits the primary key and
            # we skip the side effects, inside the same transaction.
            inserted = (await conn.execute(
                text("INSERT INTO courier_events (event_id, shipment_ref, status, received_at) "
                     "VALUES (:id, :ref, :status, now()) ON CONFLICT (event_id) DO NOTHING "
                     "RETURNING event_id"),
                {"id": event["event_id"], "ref": event["shipment_ref"], "status": new_status},
            )).first()
            if inserted is None:
                return {"duplicate": True}

            await conn.execute(
                text("UPDATE shipments SET status = :status, status_at = :at "
                     "WHERE courier_ref = :ref AND (status_at IS NULL OR status_at < :at)"),
                {"status": new_status, "at": event["occurred_at"], "ref": event["shipment_ref"]},
            )
            if new_status == "delivered":
                await conn.execute(
                    text("INSERT INTO member_notifications (member_id, kind, shipment_ref) "
                         "SELECT s.recipient_id, 'starter_delivered', s.courier_ref "
                         "FROM shipments s WHERE s.courier_ref = :ref"),
                    {"ref": event["shipment_ref"]},
                )
    except Exception:
        # Let the courier retry: log with context and surface a 500.
        log.exception("failed to apply courier event %s", event.get("event_id"))
        raise

    return {"ok": True}
