# stockphotos/billing/webhook.py
import os
import logging

import psycopg2
import requests
import stripe
from flask import Flask, abort, request

app = Flask(__name__)
log = logging.getLogger("billing.webhook")

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]
DATABASE_URL = os.environ["DATABASE_URL"]
MAILER_URL = os.environ["MAILER_URL"]

ROYALTY_RATE = {"web": 0.35, "print": 0.40, "extended": 0.45}


@app.route("/webhooks/stripe", methods=["POST"])
def stripe_webhook():
    payload = request.get_data()
    sig = request.headers.get("Stripe-Signature", "")
    try:
        event = stripe.Webhook.construct_event(payload, sig, WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        log.warning("bad stripe signature")
        abort(400)

    if event["type"] != "checkout.session.completed":
        return "", 200

    sess = event["data"]["object"]
    meta = sess["metadata"]
    photo_id, tier, buyer_id = int(meta["photo_id"]), meta["tier"], int(meta["buyer_id"])
    royalty = int(sess["amount_total"] * ROYALTY_RATE[tier])

    conn = psycopg2.connect(DATABASE_URL)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                "INSERT INTO licenses (photo_id, buyer_id, tier, amount_cents, stripe_session_id) "
                "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                (photo_id, buyer_id, tier, sess["amount_total"], sess["id"]),
            )
            license_id = cur.fetchone()[0]
            cur.execute(
                "UPDATE contributors SET balance_cents = balance_cents + %s "
                "WHERE id = (SELECT contributor_id FROM photos WHERE id = %s)",
                (royalty, photo_id),
            )
            cur.execute(
                "UPDATE photos SET license_count = license_count + 1 WHERE id = %s", (photo_id,)
            )
    finally:
        conn.close()

    requests.post(
        f"{MAILER_URL}/send",
        json={"template": "license-ready", "to": sess["customer_details"]["email"],
              "vars": {"license_id": license_id}},
        timeout=5,
    )
    return "", 200
