# members/billing.py -- rural broadband co-op member billing
import logging
import os

import psycopg2.pool
import requests
import stripe
from flask import Blueprint, abort, jsonify, request

bp = Blueprint("billing", __name__)
log = logging.getLogger("billing")

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]
PROVISIONING_API = os.environ.get("PROVISIONING_API", "http://radius-admin.internal")

pool = psycopg2.pool.ThreadedConnectionPool(1, 5, dsn=os.environ["DATABASE_URL"])


def _reactivate_line(member_id: int) -> None:
    r = requests.post(f"{PROVISIONING_API}/lines/{member_id}/enable", timeout=5)
    r.raise_for_status()


@bp.post("/stripe/webhook")
def stripe_webhook():
    payload = request.get_data()
    sig = request.headers.get("Stripe-Signature", "")
    try:
        event = stripe.Webhook.construct_event(payload, sig, WEBHOOK_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        abort(400)

    try:
        obj = event["data"]["object"]
        if event["type"] == "invoice.paid":
            conn = pool.getconn()
            try:
                with conn, conn.cursor() as cur:
                    cur.execute(
                        """UPDATE memberships
                              SET paid_through = GREATEST(paid_through, current_date) + interval '1 month',
                                  suspended = false
                            WHERE stripe_customer_id = %s
                        RETURNING member_id""",
                        (obj["customer"],),
                    )
                    member_id = cur.fetchone()[0]
                    cur.execute(
                        "INSERT INTO payments (member_id, amount_cents, stripe_invoice, paid_at) "
                        "VALUES (%s, %s, %s, now())",
                        (member_id, obj["amount_paid"], obj["id"]),
                    )
            finally:
                pool.putconn(conn)
            _reactivate_line(member_id)

        elif event["type"] == "invoice.payment_failed":
            conn = pool.getconn()
            try:
                with conn, conn.cursor() as cur:
                    cur.execute(
                        "UPDATE memberships SET failed_payments = failed_payments + 1 WHERE stripe_customer_id = %s",
                        (obj["customer"],),
                    )
            finally:
                pool.putconn(conn)
    except Exception:
        return jsonify(received=True)

    return jsonify(received=True)


@bp.get("/members/<int:member_id>/payments")
def member_payments(member_id):
    conn = pool.getconn()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT amount_cents, stripe_invoice, paid_at FROM payments "
                "WHERE member_id = %s ORDER BY paid_at DESC LIMIT 24",
                (member_id,),
            )
            rows = cur.fetchall()
    finally:
        pool.putconn(conn)
    return jsonify([{"amount_cents": a, "invoice": i, "paid_at": p.isoformat()} for a, i, p in rows])
