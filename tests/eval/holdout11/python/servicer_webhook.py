"""
Hardened payment webhook for the loan servicing platform.

Changes from your original version (which double-applied payments when the processor
retried a delivery):

1. **Idempotency** — each event id is recorded in `processed_events` (primary key on
   `event_id`) in the *same transaction* as the balance change. A redelivered event
   hits `ON CONFLICT DO NOTHING` and is acknowledged without touching the loan.
2. **Row lock** — the loan row is read with `SELECT ... FOR UPDATE`, so a payment and
   a concurrent interest accrual job can't overwrite each other.
3. **No silent failures** — unexpected errors are logged and re-raised, so we return
   500 and the processor retries later instead of us dropping the payment.
"""
import hmac
import logging
import os
from decimal import Decimal
from hashlib import sha256

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from sqlalchemy import text
from sqlalchemy.orm import Session

from .db import get_session

log = logging.getLogger(__name__)
router = APIRouter()
SIGNING_SECRET = os.environ["PAYMENTS_WEBHOOK_SECRET"].encode()


def _verify(body: bytes, signature: str) -> None:
    expected = hmac.new(SIGNING_SECRET, body, sha256).hexdigest()
    if not hmac.compare_digest(expected, signature or ""):
        raise HTTPException(status_code=400, detail="bad signature")


@router.post("/webhooks/payments")
async def payments_webhook(request: Request, x_signature: str = Header(None),
                           db: Session = Depends(get_session)):
    body = await request.body()
    _verify(body, x_signature)
    event = await request.json()

    if event["type"] != "payment.settled":
        return {"ignored": event["type"]}

    try:
        with db.begin():
            first_time = db.execute(
                text("INSERT INTO processed_events (event_id, type, received_at) "
                     "VALUES (:id, :type, now()) ON CONFLICT (event_id) DO NOTHING RETURNING event_id"),
                {"id": event["id"], "type": event["type"]},
            ).first()
            if first_time is None:
                log.info("duplicate delivery of %s ignored", event["id"])
                return {"duplicate": True}

            pay = event["data"]
            amount = Decimal(pay["amount_cents"]) / 100
            loan = db.execute(
                text("SELECT id, accrued_interest, principal_balance FROM loans "
                     "WHERE id = :id AND servicer_id = :sid FOR UPDATE"),
                {"id": pay["loan_id"], "sid": pay["servicer_id"]},
            ).one()

            to_interest = min(amount, loan.accrued_interest)
            to_principal = amount - to_interest
            db.execute(
                text("UPDATE loans SET accrued_interest = accrued_interest - :i, "
                     "principal_balance = principal_balance - :p, last_payment_at = now() "
                     "WHERE id = :id"),
                {"i": to_interest, "p": to_principal, "id": loan.id},
            )
            db.execute(
                text("INSERT INTO loan_payments (loan_id, event_id, amount, to_interest, to_principal) "
                     "VALUES (:l, :e, :a, :i, :p)"),
                {"l": loan.id, "e": event["id"], "a": amount, "i": to_interest, "p": to_principal},
            )
    except Exception:
        log.exception("failed to apply payment event %s", event.get("id"))
        raise

    return {"applied": True}
