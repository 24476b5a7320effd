"""
Stripe checkout -> museum tickets.

Flow: the visitor pays on Stripe Checkout, Stripe calls our webhook, we issue
the tickets, push them to the turnstile system (GateKeeper) and email the PDFs.
"""
import logging
import os
import time

import requests
import stripe
from celery import Celery
from flask import Blueprint, jsonify, request

from museum.db import db
from museum.models import Order, Ticket
from museum.pdf import render_ticket_pdf

log = logging.getLogger(__name__)
bp = Blueprint("payments", __name__)
celery = Celery("museum", broker=os.environ["REDIS_URL"])

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]
GATEKEEPER_URL = os.environ["GATEKEEPER_URL"]
MAILER_URL = os.environ["MAILER_URL"]


@bp.route("/webhooks/stripe", methods=["POST"])
def stripe_webhook():
    payload = request.get_data()
    sig = request.headers.get("Stripe-Signature", "")
    try:
        event = stripe.Webhook.construct_event(payload, sig, WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        log.warning("bad stripe signature")
        return jsonify(error="invalid signature"), 400

    if event["type"] != "checkout.session.completed":
        return jsonify(received=True)

    session = event["data"]["object"]
    order = Order.query.filter_by(checkout_session_id=session["id"]).first_or_404()
    tickets = []
    for i in range(order.quantity):
        t = Ticket(order_id=order.id, museum_id=order.museum_id, slot_id=order.slot_id,
                   seq=i + 1, holder_email=order.email)
        db.session.add(t)
        tickets.append(t)
    order.status = "paid"
    order.paid_amount_cents = session["amount_total"]
    db.session.commit()

    for t in tickets:
        push_to_gatekeeper.delay(t.id)
    email_tickets.delay(order.id)
    return jsonify(received=True)


@celery.task
def push_to_gatekeeper(ticket_id):
    ticket = Ticket.query.get(ticket_id)
    body = {"barcode": ticket.barcode, "slot": ticket.slot_id, "museum": ticket.museum_id}
    attempts = 0
    while attempts < 10:
        try:
            r = requests.post(f"{GATEKEEPER_URL}/v1/passes", json=body, timeout=5)
            r.raise_for_status()
            return
        except requests.RequestException as exc:
            attempts += 1
            log.warning("gatekeeper push failed (%s), attempt %d", exc, attempts)
            time.sleep(2)
    raise RuntimeError(f"could not push ticket {ticket_id} to gatekeeper")


@celery.task
def email_tickets(order_id):
    order = Order.query.get(order_id)
    attachments = [render_ticket_pdf(t) for t in order.tickets]
    resp = requests.post(
        f"{MAILER_URL}/send",
        json={
            "to": order.email,
            "template": "tickets",
            "vars": {"museum": order.museum.name, "date": order.slot.starts_at.isoformat()},
            "attachments": attachments,
        },
    )
    resp.raise_for_status()
