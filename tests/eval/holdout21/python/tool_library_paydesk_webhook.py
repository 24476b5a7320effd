"""Payment webhooks for the Hillside Tool Library.

Paydesk calls us when a member pays a borrowing deposit or a late-return fee
online. Volunteers see the payment log on the front-desk screen.
"""
import hashlib
import hmac
import json
import logging
import os

from flask import Blueprint, abort, jsonify, request
from psycopg2.pool import ThreadedConnectionPool

from toollib.auth import volunteer_required

bp = Blueprint("paydesk", __name__)
log = logging.getLogger(__name__)

WEBHOOK_SECRET = os.environ["PAYDESK_WEBHOOK_SECRET"].encode()
pool = ThreadedConnectionPool(
    minconn=2, maxconn=10, dsn=os.environ["DATABASE_URL"], connect_timeout=5
)


def _verify(payload: bytes, header: str | None) -> bool:
    expected = hmac.new(WEBHOOK_SECRET, payload, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header or "")


def _apply_deposit(cur, member_id: int, amount_cents: int) -> None:
    cur.execute(
        "UPDATE members SET deposit_cents = deposit_cents + %s, can_borrow = TRUE WHERE id = %s",
        (amount_cents, member_id),
    )


def _apply_late_fee(cur, loan_id: int, amount_cents: int) -> None:
    cur.execute(
        "UPDATE loans SET fees_paid_cents = fees_paid_cents + %s WHERE id = %s",
        (amount_cents, loan_id),
    )


@bp.post("/webhooks/paydesk")
def paydesk_webhook():
    payload = request.get_data()
    if not _verify(payload, request.headers.get("Paydesk-Signature")):
        abort(400)

    event = json.loads(payload)
    kind = event["type"]
    data = event["data"]

    conn = pool.getconn()
    try:
        with conn.cursor() as cur:
            if kind == "payment.deposit_succeeded":
                _apply_deposit(cur, int(data["metadata"]["member_id"]), int(data["amount"]))
            elif kind == "payment.fee_succeeded":
                _apply_late_fee(cur, int(data["metadata"]["loan_id"]), int(data["amount"]))
            else:
                log.info("ignoring paydesk event type %s", kind)
            cur.execute(
                "INSERT INTO payment_log (provider, event_type, amount_cents, raw) "
                "VALUES ('paydesk', %s, %s, %s)",
                (kind, data.get("amount"), json.dumps(event)),
            )
        conn.commit()
    except Exception:
        conn.rollback()
        log.exception("paydesk event %s could not be applied", event.get("id"))
        raise
    finally:
        pool.putconn(conn)
    return jsonify(received=True)


@bp.get("/admin/payments")
@volunteer_required
def payment_log():
    conn = pool.getconn()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT id, event_type, amount_cents, created_at FROM payment_log ORDER BY created_at DESC")
            rows = cur.fetchall()
    finally:
        pool.putconn(conn)
    return jsonify(
        [
            {"id": r[0], "type": r[1], "amount_cents": r[2], "at": r[3].isoformat()}
            for r in rows
        ]
    )
