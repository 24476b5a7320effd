# donations/webhooks.py -- St. Brigid's parish giving site
import os

import stripe
from flask import Blueprint, request, abort

from .db import db
from .models import Donation, Donor
from .mailer import send_receipt

bp = Blueprint("stripe_hooks", __name__)
stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]


@bp.route("/webhooks/stripe", methods=["POST"])
def stripe_webhook():
    payload = request.get_data()
    sig = request.headers.get("Stripe-Signature")
    try:
        event = stripe.Webhook.construct_event(payload, sig, WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        abort(400)

    if event["type"] == "checkout.session.completed":
        s = event["data"]["object"]
        donor = Donor.query.filter_by(email=s["customer_details"]["email"]).first()
        if donor is None:
            donor = Donor(email=s["customer_details"]["email"], name=s["customer_details"].get("name"))
            db.session.add(donor)
        donation = Donation(
            donor=donor,
            amount_cents=s["amount_total"],
            fund=s["metadata"].get("fund", "general"),
            stripe_session_id=s["id"],
        )
        db.session.add(donation)
        db.session.commit()
        try:
            send_receipt(donor.email, donation)
        except Exception:
            pass

    elif event["type"] == "charge.refunded":
        ch = event["data"]["object"]
        d = Donation.query.filter_by(stripe_payment_intent=ch["payment_intent"]).first()
        if d:
            d.refunded = True
            d.refunded_cents = ch["amount_refunded"]
            db.session.commit()

    return "", 200
