"""Tournament registration + entry-fee webhook.

Stripe retries webhooks and can deliver the same event more than once, so every
event id is recorded in `stripe_events` (PRIMARY KEY event_id) before we act.
The slow part (seeding, Discord role, confirmation email) runs in Celery.
"""
import logging
import os

import stripe
from celery import Celery
from fastapi import Depends, FastAPI, Header, HTTPException, Request
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from esports.auth import Captain, current_captain
from esports.db import get_session
from esports.models import Registration
from esports.onboarding import assign_discord_role, send_confirmation

log = logging.getLogger(__name__)
app = FastAPI()
celery = Celery("esports", broker=os.environ["CELERY_BROKER_URL"])
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]


@app.post("/tournaments/{tournament_id}/registrations", status_code=201)
def register_team(tournament_id: int, captain: Captain = Depends(current_captain),
                  session: Session = Depends(get_session)):
    reg = Registration(tournament_id=tournament_id, team_id=captain.team_id, status="awaiting_fee")
    session.add(reg)
    try:
        session.commit()  # UNIQUE (tournament_id, team_id)
    except IntegrityError:
        session.rollback()
        raise HTTPException(409, "Your team is already registered for this tournament")
    return {"registration_id": reg.id}


@app.post("/webhooks/stripe")
async def stripe_webhook(request: Request, stripe_signature: str = Header(...),
                         session: Session = Depends(get_session)):
    payload = await request.body()
    try:
        event = stripe.Webhook.construct_event(payload, stripe_signature, WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError) as exc:
        log.warning("rejected stripe webhook: %s", exc)
        raise HTTPException(400, "bad signature")

    first_time = session.execute(
        text("INSERT INTO stripe_events (event_id, type) VALUES (:id, :type) "
             "ON CONFLICT (event_id) DO NOTHING RETURNING event_id"),
        {"id": event["id"], "type": event["type"]},
    ).first()
    if first_time is None:
        session.rollback()
        return {"status": "duplicate"}

    if event["type"] == "payment_intent.succeeded":
        reg_id = int(event["data"]["object"]["metadata"]["registration_id"])
        session.execute(
            text("UPDATE registrations SET status = 'paid', paid_at = now() "
                 "WHERE id = :id AND status = 'awaiting_fee'"),
            {"id": reg_id},
        )
        session.commit()
        finish_onboarding.delay(reg_id)
    else:
        session.commit()
    return {"status": "ok"}


@celery.task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=5,
             retry_backoff_max=600, retry_jitter=True, max_retries=6)
def finish_onboarding(registration_id: int):
    assign_discord_role(registration_id)
    send_confirmation(registration_id)
