"""Deposit webhooks for stained-glass restoration commissions.

Churches and private clients pay staged deposits (survey, removal, releading,
reinstallation). The payment provider may deliver the same event more than
once, so each event id is recorded in processed_webhook_events
(PRIMARY KEY event_id) in the same transaction as its effect.
"""
import hashlib
import hmac
import logging
import os

import httpx
from celery import Celery
from flask import Flask, abort, jsonify, request
from sqlalchemy import text

from studio.db import engine

log = logging.getLogger(__name__)
app = Flask(__name__)
celery = Celery("studio", broker=os.environ["CELERY_BROKER_URL"])

WEBHOOK_SECRET = os.environ["PAYMENTS_WEBHOOK_SECRET"].encode()
STUDIO_CHAT_URL = os.environ["STUDIO_CHAT_WEBHOOK_URL"]
chat = httpx.Client(timeout=httpx.Timeout(5.0, connect=2.0))


def _verify(req) -> None:
    sig = req.headers.get("Payments-Signature", "")
    digest = hmac.new(WEBHOOK_SECRET, req.get_data(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(sig, digest):
        abort(400, "bad signature")


@app.post("/webhooks/payments")
def payments_webhook():
    _verify(request)
    event = request.get_json()
    if event.get("type") != "payment.succeeded":
        return jsonify(ignored=True), 200

    data = event["data"]
    with engine.begin() as conn:
        first_time = conn.execute(
            text(
                "INSERT INTO processed_webhook_events (event_id, received_at) "
                "VALUES (:id, now()) ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
            ),
            {"id": event["id"]},
        ).first()
        if first_time is None:
            log.info("duplicate delivery of %s ignored", event["id"])
            return jsonify(duplicate=True), 200

        conn.execute(
            text(
                "UPDATE commissions SET deposit_paid_pence = deposit_paid_pence + :amount, "
                "stage = :stage WHERE reference = :ref"
            ),
            {"amount": data["amount"], "stage": data["metadata"]["stage"], "ref": data["metadata"]["commission"]},
        )

    notify_studio.delay(data["metadata"]["commission"], data["metadata"]["stage"], data["amount"])
    return jsonify(ok=True), 200


@celery.task(
    bind=True,
    autoretry_for=(httpx.HTTPError,),
    retry_backoff=True,        # 1s, 2s, 4s ...
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def notify_studio(self, commission_ref: str, stage: str, amount_pence: int) -> None:
    resp = chat.post(
        STUDIO_CHAT_URL,
        json={"text": f"Deposit £{amount_pence / 100:.2f} received for {commission_ref} ({stage})"},
    )
    resp.raise_for_status()
