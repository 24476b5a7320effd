import os
import json
import logging

import psycopg2
import psycopg2.extras
import requests
import stripe
from flask import Flask, request, abort

app = Flask(__name__)
log = logging.getLogger("pod.webhooks")

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]
DB_DSN = os.environ["DATABASE_URL"]
PRINTER_API = "https://api.inkfactory.example.com/v3/jobs"


def queue_print_job(cur, order_id, items):
    psycopg2.extras.execute_values(
        cur,
        "INSERT INTO print_jobs (order_id, design_id, product_sku, qty, status) VALUES %s",
        [(order_id, it["design_id"], it["sku"], it["qty"], "queued") for it in items],
    )
    r = requests.post(PRINTER_API, json={"order_ref": order_id, "items": items},
                      headers={"Authorization": "Bearer " + os.environ["INK_TOKEN"]},
                      timeout=20)
    r.raise_for_status()


@app.route("/webhooks/stripe", methods=["POST"])
def stripe_webhook():
    payload = request.get_data()
    sig = request.headers.get("Stripe-Signature")
    try:
        event = stripe.Webhook.construct_event(payload, sig, WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        abort(400)

    if event["type"] != "checkout.session.completed":
        return "", 200

    sess = event["data"]["object"]
    items = json.loads(sess["metadata"]["cart"])

    conn = psycopg2.connect(DB_DSN)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                "INSERT INTO orders (shop_id, customer_email, total_cents, stripe_session, status) "
                "VALUES (%s, %s, %s, %s, 'paid') RETURNING id",
                (sess["metadata"]["shop_id"], sess["customer_details"]["email"],
                 sess["amount_total"], sess["id"]),
            )
            order_id = cur.fetchone()[0]
            cur.execute(
                "UPDATE shops SET balance_cents = balance_cents + %s WHERE id = %s",
                (sess["amount_total"] - int(sess["metadata"].get("fee_cents", 0)), sess["metadata"]["shop_id"]),
            )
            queue_print_job(cur, order_id, items)
    finally:
        conn.close()

    log.info("order %s created from %s", order_id, sess["id"])
    return "", 200
