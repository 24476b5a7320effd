"""
Stripe webhook for the parish giving platform.

Stripe delivers events at least once, so each event id is recorded in
`processed_stripe_events` (PRIMARY KEY event_id) inside the same transaction
as the donation row. A redelivered event hits ON CONFLICT and is acknowledged
without touching the ledger again.
"""
import logging
import os

import stripe
from flask import Blueprint, abort, jsonify, request
from psycopg_pool import ConnectionPool

from .tasks import send_tax_receipt

log = logging.getLogger(__name__)
bp = Blueprint("giving_hooks", __name__)

WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]
pool = ConnectionPool(os.environ["GIVING_DSN"], min_size=2, max_size=10, timeout=5,
                      kwargs={"options": "-c statement_timeout=5000"})


@bp.post("/hooks/stripe")
def stripe_event():
    try:
        event = stripe.Webhook.construct_event(
            request.get_data(), request.headers.get("Stripe-Signature", ""), WEBHOOK_SECRET
        )
    except (ValueError, stripe.error.SignatureVerificationError):
        abort(400)

    if event["type"] not in ("payment_intent.succeeded", "charge.refunded"):
        return jsonify(ignored=True)

    try:
        with pool.connection() as conn, conn.transaction():
            first_time = conn.execute(
                "INSERT INTO processed_stripe_events (event_id, type) VALUES (%s, %s) "
                "ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
                (event["id"], event["type"]),
            ).fetchone()
            if first_time is None:
                log.info("duplicate delivery of %s, skipping", event["id"])
                return jsonify(duplicate=True)

            obj = event["data"]["object"]
            if event["type"] == "payment_intent.succeeded":
                donation_id = conn.execute(
                    "INSERT INTO donations (parish_id, donor_id, fund, amount_cents, payment_intent) "
                    "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                    (obj["metadata"]["parish_id"], obj["metadata"]["donor_id"],
                     obj["metadata"].get("fund", "general"), obj["amount_received"], obj["id"]),
                ).fetchone()[0]
            else:
                conn.execute(
                    "UPDATE donations SET refunded_cents = %s WHERE payment_intent = %s",
                    (obj["amount_refunded"], obj["payment_intent"]),
                )
                donation_id = None
    except Exception:
        # log with the event id and let Stripe retry -- the transaction rolled back,
        # so the event id was not recorded either
        log.exception("failed to process stripe event %s", event["id"])
        raise

    if donation_id is not None:
        send_tax_receipt.delay(donation_id)
    return jsonify(received=True)
