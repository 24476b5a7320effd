"""Payment webhook for the Tanat Valley Ploughing Match entry system.

Competitors pay their class entry fee (horse, vintage tractor, reversible,
hedge laying...) through the card provider; the provider calls this hook
and may redeliver the same event several times.
"""
import hashlib
import hmac
import logging

from flask import Blueprint, abort, jsonify, request
from psycopg_pool import ConnectionPool

from .settings import DATABASE_URL, WEBHOOK_SECRET

log = logging.getLogger(__name__)
bp = Blueprint("payments", __name__)
pool = ConnectionPool(DATABASE_URL, min_size=2, max_size=10)


def _verify(raw: bytes, signature: str) -> None:
    expected = hmac.new(WEBHOOK_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature or ""):
        abort(401)


@bp.post("/hooks/payments")
def payment_event():
    raw = request.get_data()
    _verify(raw, request.headers.get("X-Signature", ""))
    event = request.get_json(force=True)

    if event.get("type") != "payment.succeeded":
        return jsonify(ignored=True), 200

    payment = event["data"]
    entry_id = int(payment["metadata"]["entry_id"])

    try:
        with pool.connection() as conn, conn.transaction():
            # Record the event id first; a redelivery hits the primary key
            # and we stop before touching the entry again.
            first_time = conn.execute(
                "INSERT INTO processed_payment_events (event_id, received_at) "
                "VALUES (%s, now()) ON CONFLICT (event_id) DO NOTHING",
                (event["id"],),
            ).rowcount == 1
            if not first_time:
                return jsonify(duplicate=True), 200

            conn.execute(
                "UPDATE match_entries SET paid_at = now(), payment_ref = %s, status = 'confirmed' "
                "WHERE id = %s AND status = 'awaiting_payment'",
                (payment["id"], entry_id),
            )
            conn.execute(
                "INSERT INTO entry_ledger (entry_id, amount_pence, payment_ref) VALUES (%s, %s, %s)",
                (entry_id, payment["amount"], payment["id"]),
            )
    except Exception:
        log.exception("failed to apply payment event %s", event.get("id"))
        raise

    return jsonify(ok=True), 200
