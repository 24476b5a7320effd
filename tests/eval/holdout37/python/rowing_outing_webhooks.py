"""Webhooks from BoatBook, the booking platform the Isis Reach rowing club uses.

BoatBook posts `outing.confirmed` when a crew's outing is approved by the
captain of boats. We record the outing, bump the member's season tally
(used for the club's "100 outings" badge), and text the cox.
"""
import hashlib
import hmac
import logging
import os

import httpx
from fastapi import APIRouter, Depends, Header, HTTPException, Request
from sqlalchemy import update
from sqlalchemy.orm import Session

from .db import get_session
from .models import Member, Outing

log = logging.getLogger(__name__)
router = APIRouter()

WEBHOOK_SECRET = os.environ["BOATBOOK_WEBHOOK_SECRET"].encode()
SMS_URL = "https://sms.gateway.example/v1/messages"
sms_client = httpx.Client(timeout=httpx.Timeout(5.0, connect=2.0))


class SmsDeliveryError(RuntimeError):
    pass


def text_cox(phone: str, message: str) -> None:
    last_error = None
    for attempt in range(1, 6):
        try:
            resp = sms_client.post(SMS_URL, json={"to": phone, "body": message})
            resp.raise_for_status()
            return
        except httpx.HTTPError as exc:
            last_error = exc
            log.warning("sms attempt %d to %s failed: %s", attempt, phone, exc)
    raise SmsDeliveryError(f"could not text {phone}") from last_error


def _verify(body: bytes, signature: str) -> None:
    expected = hmac.new(WEBHOOK_SECRET, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise HTTPException(status_code=401, detail="bad signature")


@router.post("/webhooks/boatbook")
async def boatbook_webhook(
    request: Request,
    x_boatbook_signature: str = Header(...),
    db: Session = Depends(get_session),
):
    body = await request.body()
    _verify(body, x_boatbook_signature)
    event = await request.json()

    if event["type"] != "outing.confirmed":
        return {"ignored": event["type"]}

    data = event["data"]
    outing = Outing(
        boatbook_ref=data["outing_ref"],
        boat_name=data["boat"],
        crew_size=len(data["crew"]),
        starts_at=data["starts_at"],
        cox_member_id=data["cox_member_id"],
    )
    db.add(outing)

    # one more outing for everyone in the boat
    crew_ids = [c["member_id"] for c in data["crew"]]
    db.execute(
        update(Member)
        .where(Member.id.in_(crew_ids))
        .values(season_outings=Member.season_outings + 1)
    )
    db.commit()

    cox = db.get(Member, data["cox_member_id"])
    if cox and cox.phone:
        text_cox(cox.phone, f"{data['boat']} is on for {data['starts_at']}. Lifejackets on the rack.")
    return {"ok": True, "outing_id": outing.id}
