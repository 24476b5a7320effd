"""Harbour mooring buoy leases: payment provider webhooks and lease lookup.

The harbour office takes annual buoy fees through the card provider's hosted
checkout; the provider calls us back when a payment settles.
"""
import hashlib
import hmac
import json
import logging
import os

import psycopg2
import psycopg2.extras
from flask import Blueprint, abort, jsonify, request

bp = Blueprint("moorings", __name__)
log = logging.getLogger(__name__)

DATABASE_DSN = os.environ["HARBOUR_DATABASE_URL"]
WEBHOOK_SECRET = os.environ["PAYMENTS_WEBHOOK_SECRET"].encode()


def _db():
    return psycopg2.connect(DATABASE_DSN, connect_timeout=5, cursor_factory=psycopg2.extras.RealDictCursor)


def _verify(raw: bytes, signature: str) -> bool:
    expected = hmac.new(WEBHOOK_SECRET, raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


@bp.post("/webhooks/card-payments")
def card_payment_webhook():
    raw = request.get_data()
    if not _verify(raw, request.headers.get("X-Signature", "")):
        abort(401)

    event = json.loads(raw)
    if event.get("type") != "payment.settled":
        return jsonify(ignored=True), 200

    payment = event["data"]
    lease_id = int(payment["metadata"]["lease_id"])

    conn = _db()
    try:
        with conn, conn.cursor() as cur:
            # One settled payment = one more season on the buoy.
            cur.execute(
                "UPDATE buoy_leases SET paid_until = paid_until + interval '1 year', "
                "status = 'active' WHERE id = %s RETURNING buoy_number, paid_until",
                (lease_id,),
            )
            lease = cur.fetchone()
            if lease is None:
                log.warning("payment %s for unknown lease %s", payment["id"], lease_id)
                return jsonify(ok=True), 200
            cur.execute(
                "INSERT INTO lease_payments (lease_id, amount_pence, provider_payment_id) "
                "VALUES (%s, %s, %s)",
                (lease_id, payment["amount"], payment["id"]),
            )
    finally:
        conn.close()

    log.info("buoy %s paid until %s", lease["buoy_number"], lease["paid_until"])
    return jsonify(ok=True), 200


@bp.get("/leases/<int:lease_id>")
def lease_status(lease_id: int):
    conn = _db()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT id, buoy_number, holder_name, vessel_name, paid_until, status "
                "FROM buoy_leases WHERE id = %s",
                (lease_id,),
            )
            lease = cur.fetchone()
    finally:
        conn.close()
    if lease is None:
        abort(404)
    return jsonify(lease)
