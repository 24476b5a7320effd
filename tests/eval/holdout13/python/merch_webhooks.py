"""
Stripe webhook for the merch store -- revised.

You asked whether your webhook is safe. Stripe delivers events *at least once*, so
the same `checkout.session.completed` can arrive twice (retries, replays from the
dashboard). The version below:

* records every event id in `stripe_events` (PRIMARY KEY on event_id) in the same
  transaction as the side effects, and skips events it has already processed;
* decrements stock atomically with a guarded UPDATE and checks how many rows changed;
* uses one connection pool for the whole process instead of connecting per request;
* logs and re-raises unexpected errors so Stripe retries instead of us silently
  returning 200;
* sends the confirmation email from a Celery task after commit.
"""
import json
import logging
import os

import stripe
from flask import Blueprint, abort, request
from psycopg_pool import ConnectionPool

from .tasks import send_order_confirmation

log = logging.getLogger(__name__)
bp = Blueprint("stripe_webhooks", __name__)

pool = ConnectionPool(os.environ["DATABASE_URL"], min_size=2, max_size=10, timeout=5)
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]


@bp.post("/stripe/webhook")
def stripe_webhook():
    try:
        event = stripe.Webhook.construct_event(
            request.get_data(), request.headers.get("Stripe-Signature"), WEBHOOK_SECRET
        )
    except (ValueError, stripe.error.SignatureVerificationError):
        abort(400)

    if event["type"] != "checkout.session.completed":
        return "", 200

    sess = event["data"]["object"]
    items = json.loads(sess["metadata"]["items"])
    try:
        with pool.connection() as conn, conn.transaction():
            first_time = conn.execute(
                "INSERT INTO stripe_events (event_id, type) VALUES (%s, %s) ON CONFLICT (event_id) DO NOTHING",
                (event["id"], event["type"]),
            ).rowcount == 1
            if not first_time:
                log.info("duplicate stripe event %s ignored", event["id"])
                return "", 200

            ids = [int(i["product_id"]) for i in items]
            qtys = [int(i["qty"]) for i in items]
            updated = conn.execute(
                """
                UPDATE products p SET stock = p.stock - v.qty
                FROM unnest(%s::int[], %s::int[]) AS v(id, qty)
                WHERE p.id = v.id AND p.stock >= v.qty
                """,
                (ids, qtys),
            ).rowcount
            status = "paid" if updated == len(items) else "paid_backorder"
            order_id = conn.execute(
                "INSERT INTO orders (stripe_session_id, email, total_cents, status) "
                "VALUES (%s, %s, %s, %s) RETURNING id",
                (sess["id"], sess["customer_details"]["email"], sess["amount_total"], status),
            ).fetchone()[0]
    except Exception:
        log.exception("failed to process stripe event %s", event["id"])
        raise

    send_order_confirmation.delay(order_id)
    return "", 200
