"""Payout-provider webhooks for the craft-fair marketplace.

The provider retries deliveries for up to 3 days and may send the same event more than
once, so every event id is recorded in `processed_webhook_events` (PRIMARY KEY event_id)
in the same transaction as its side effects. Rows older than 30 days are pruned by the
nightly `prune_webhook_events` beat task.
"""
import hashlib
import hmac
import logging
import os

from flask import Flask, abort, jsonify, request
from sqlalchemy import create_engine, text

from .tasks import render_vendor_statement

log = logging.getLogger(__name__)
app = Flask(__name__)

engine = create_engine(os.environ["DATABASE_URL"], pool_size=10, max_overflow=5, pool_pre_ping=True)
WEBHOOK_SECRET = os.environ["PAYOUTS_WEBHOOK_SECRET"].encode()


def _signature_ok(req) -> bool:
    sent = req.headers.get("X-Payouts-Signature", "")
    expected = hmac.new(WEBHOOK_SECRET, req.get_data(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(sent, expected)


def _mark_paid(conn, data):
    conn.execute(
        text("UPDATE vendor_payouts SET status = 'paid', paid_at = :ts "
             "WHERE provider_payout_id = :pid AND status <> 'paid'"),
        {"pid": data["payout_id"], "ts": data["arrival_date"]},
    )


def _mark_failed(conn, data):
    conn.execute(
        text("UPDATE vendor_payouts SET status = 'failed', failure_code = :code "
             "WHERE provider_payout_id = :pid"),
        {"pid": data["payout_id"], "code": data.get("failure_code")},
    )
    conn.execute(
        text("UPDATE vendors SET payout_status = 'action_required' "
             "WHERE id = (SELECT vendor_id FROM vendor_payouts WHERE provider_payout_id = :pid)"),
        {"pid": data["payout_id"]},
    )


@app.post("/webhooks/payouts")
def payouts_webhook():
    if not _signature_ok(request):
        abort(400)
    event = request.get_json()

    try:
        with engine.begin() as conn:
            first_time = conn.execute(
                text("INSERT INTO processed_webhook_events (event_id, event_type, received_at) "
                     "VALUES (:id, :type, now()) ON CONFLICT (event_id) DO NOTHING"),
                {"id": event["id"], "type": event["type"]},
            ).rowcount
            if not first_time:
                log.info("duplicate payout event %s ignored", event["id"])
                return jsonify(status="duplicate"), 200

            if event["type"] == "payout.paid":
                _mark_paid(conn, event["data"])
            elif event["type"] == "payout.failed":
                _mark_failed(conn, event["data"])
    except Exception:
        log.exception("payout webhook %s failed; provider will retry", event.get("id"))
        raise

    if event["type"] == "payout.paid":
        # PDF statement is slow; do it on a worker and answer the provider right away
        render_vendor_statement.delay(event["data"]["payout_id"])
    return jsonify(status="ok"), 200
