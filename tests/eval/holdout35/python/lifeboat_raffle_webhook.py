"""Lifeboat station open day raffle: card payments arrive by webhook.

Ticket numbers come from a Redis counter per raffle so they are sequential
across all web workers; the webhook is deduplicated on the provider's
event id inside the same transaction that issues the tickets.
"""
import logging

import redis
import stripe
from flask import Blueprint, abort, jsonify, request
from sqlalchemy import text

from .db import engine
from .settings import settings

bp = Blueprint("raffle_webhooks", __name__)
log = logging.getLogger(__name__)

rds = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


@bp.post("/webhooks/raffle-payments")
def raffle_payment_webhook():
    payload = request.get_data()
    try:
        event = stripe.Webhook.construct_event(
            payload, request.headers.get("Stripe-Signature", ""), settings.STRIPE_WEBHOOK_SECRET
        )
    except (ValueError, stripe.error.SignatureVerificationError):
        log.warning("rejected raffle webhook with bad signature")
        abort(400)

    if event["type"] != "checkout.session.completed":
        return jsonify(received=True)

    session = event["data"]["object"]
    raffle_id = int(session["metadata"]["raffle_id"])
    quantity = int(session["metadata"]["quantity"])

    with engine.begin() as conn:
        first_delivery = conn.execute(
            text(
                "INSERT INTO processed_webhook_events (provider, event_id, received_at) "
                "VALUES ('stripe', :event_id, now()) "
                "ON CONFLICT (provider, event_id) DO NOTHING RETURNING event_id"
            ),
            {"event_id": event["id"]},
        ).scalar_one_or_none()
        if first_delivery is None:
            log.info("raffle webhook %s already processed", event["id"])
            return jsonify(received=True, duplicate=True)

        last_number = rds.incrby(f"raffle:{raffle_id}:ticket_seq", quantity)
        numbers = list(range(last_number - quantity + 1, last_number + 1))
        conn.execute(
            text(
                "INSERT INTO raffle_tickets (raffle_id, ticket_number, buyer_email, checkout_id) "
                "VALUES (:raffle_id, :number, :email, :checkout_id)"
            ),
            [
                {
                    "raffle_id": raffle_id,
                    "number": n,
                    "email": session["customer_details"]["email"],
                    "checkout_id": session["id"],
                }
                for n in numbers
            ],
        )

    log.info("issued raffle tickets %s-%s for raffle %s", numbers[0], numbers[-1], raffle_id)
    return jsonify(received=True, tickets=numbers)
