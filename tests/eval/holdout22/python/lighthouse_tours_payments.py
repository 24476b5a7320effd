import hashlib
import hmac
import json
import logging

import redis
from fastapi import APIRouter, Depends, Header, HTTPException, Request
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.db import get_db
from app.mail import queue_confirmation_email
from app.settings import settings

log = logging.getLogger("lighthouse.payments")
router = APIRouter()

# shared by the three API replicas
limiter = redis.Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)

ENQUIRY_LIMIT = 10        # enquiries per address per hour
ENQUIRY_WINDOW = 3600


def _verify_signature(raw: bytes, signature: str) -> None:
    expected = hmac.new(settings.paydesk_webhook_secret.encode(), raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise HTTPException(status_code=400, detail="bad signature")


@router.post("/webhooks/paydesk")
async def paydesk_webhook(
    request: Request,
    x_paydesk_signature: str = Header(...),
    db: Session = Depends(get_db),
):
    raw = await request.body()
    _verify_signature(raw, x_paydesk_signature)
    event = json.loads(raw)

    if event["type"] != "payment.succeeded":
        return {"received": True}

    meta = event["data"]["metadata"]
    tour_id = int(meta["tour_id"])
    party_size = int(meta["party_size"])

    db.execute(
        text(
            "INSERT INTO tour_bookings (tour_id, lead_name, email, party_size, paid_pence) "
            "VALUES (:tour_id, :name, :email, :party, :paid)"
        ),
        {
            "tour_id": tour_id,
            "name": meta["lead_name"],
            "email": event["data"]["customer_email"],
            "party": party_size,
            "paid": event["data"]["amount"],
        },
    )
    db.execute(
        text("UPDATE lighthouse_tours SET places_sold = places_sold + :n WHERE id = :id"),
        {"n": party_size, "id": tour_id},
    )
    db.commit()

    queue_confirmation_email(event["data"]["customer_email"], tour_id)
    log.info("paydesk payment %s booked tour %s", event["id"], tour_id)
    return {"received": True}


@router.post("/tours/{tour_id}/enquiries")
async def tour_enquiry(tour_id: int, request: Request, db: Session = Depends(get_db)):
    # Group-visit enquiries from the public site; keep bots from flooding the keeper's inbox.
    client_ip = request.headers.get("x-forwarded-for", request.client.host).split(",")[0].strip()
    key = f"enquiry-rate:{client_ip}"
    count = limiter.incr(key)
    if count == 1:
        limiter.expire(key, ENQUIRY_WINDOW)
    if count > ENQUIRY_LIMIT:
        raise HTTPException(status_code=429, detail="Too many enquiries, try again later")

    body = await request.json()
    db.execute(
        text(
            "INSERT INTO tour_enquiries (tour_id, name, email, group_size, message) "
            "VALUES (:tour_id, :name, :email, :size, :msg)"
        ),
        {
            "tour_id": tour_id,
            "name": body["name"][:120],
            "email": body["email"][:254],
            "size": int(body.get("group_size", 1)),
            "msg": body.get("message", "")[:2000],
        },
    )
    db.commit()
    return {"status": "received"}
