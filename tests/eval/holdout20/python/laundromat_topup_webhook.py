"""Payment-provider webhook: customers top up their laundromat card in the app.

The provider delivers at least once and retries on any non-2xx, so every
event id is recorded in `processed_events` inside the same transaction that
credits the wallet. A redelivery finds the id already there and does nothing.
"""
import hashlib
import hmac
import json
import logging
import os

import psycopg2
from flask import Blueprint, abort, jsonify, request
from psycopg2.pool import ThreadedConnectionPool

log = logging.getLogger(__name__)
bp = Blueprint("payhooks", __name__, url_prefix="/webhooks")

SIGNING_SECRET = os.environ["PAYMENTS_SIGNING_SECRET"].encode()
pool = ThreadedConnectionPool(1, 15, dsn=os.environ["DATABASE_URL"], connect_timeout=5)


def _signature_ok(raw: bytes, header: str | None) -> bool:
    digest = hmac.new(SIGNING_SECRET, raw, hashlib.sha256).hexdigest()
    return header is not None and hmac.compare_digest(digest, header)


@bp.post("/payments")
def payment_event():
    raw = request.get_data()
    if not _signature_ok(raw, request.headers.get("X-Signature")):
        abort(400)
    event = json.loads(raw)

    if event.get("type") != "topup.succeeded":
        return jsonify({"ignored": event.get("type")}), 200

    data = event["data"]
    conn = pool.getconn()
    try:
        with conn:  # commits on success, rolls back on exception
            with conn.cursor() as cur:
                cur.execute(
                    "INSERT INTO processed_events (event_id, kind, received_at) "
                    "VALUES (%s, %s, now()) ON CONFLICT (event_id) DO NOTHING "
                    "RETURNING event_id",
                    (event["id"], event["type"]),
                )
                if cur.fetchone() is None:
                    log.info("duplicate delivery of %s, skipping", event["id"])
                    return jsonify({"duplicate": True}), 200

                cur.execute(
                    "UPDATE wallets SET balance_cents = balance_cents + %s "
                    "WHERE card_id = %s AND location_id = %s",
                    (data["amount_cents"], data["card_id"], data["location_id"]),
                )
                if cur.rowcount != 1:
                    # Raising rolls the event row back too, so the provider retries.
                    raise LookupError(f"no wallet for card {data['card_id']}")

                cur.execute(
                    "INSERT INTO wallet_ledger (card_id, location_id, amount_cents, source_event) "
                    "VALUES (%s, %s, %s, %s)",
                    (data["card_id"], data["location_id"], data["amount_cents"], event["id"]),
                )
    except (psycopg2.Error, LookupError):
        log.exception("failed to apply top-up event %s", event.get("id"))
        raise
    finally:
        pool.putconn(conn)

    return jsonify({"applied": True}), 200
