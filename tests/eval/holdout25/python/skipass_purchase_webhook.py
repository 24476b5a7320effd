"""Receives purchase events from the online shop and provisions lift passes.

The shop (a hosted e-commerce platform) POSTs `order.paid` events; we create
the pass and push it to the gate controllers so it works at the turnstile
within a minute of purchase.
"""
import hashlib
import hmac
import logging
import os
import time

import requests
from flask import Flask, request, abort, jsonify

from .db import db
from .models import LiftPass, Customer, LoyaltyAccount

app = Flask(__name__)
log = logging.getLogger("passes.webhook")

SHOP_SECRET = os.environ["SHOP_WEBHOOK_SECRET"].encode()
GATE_SYNC_URL = os.environ["GATE_SYNC_URL"]
gate_session = requests.Session()


def _signature_ok(raw: bytes, header: str) -> bool:
    digest = hmac.new(SHOP_SECRET, raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(digest, header or "")


def push_to_gates(passes: list[LiftPass]) -> None:
    payload = {"passes": [
        {"pass_id": p.code, "valid_from": p.valid_from.isoformat(),
         "valid_to": p.valid_to.isoformat(), "zones": p.zones}
        for p in passes
    ]}
    attempts = 0
    while attempts < 5:
        attempts += 1
        try:
            resp = gate_session.post(GATE_SYNC_URL, json=payload, timeout=5)
            resp.raise_for_status()
            return
        except requests.RequestException as exc:
            log.warning("gate sync attempt %d (%d passes) failed: %s",
                        attempts, len(passes), exc)
            time.sleep(1)
    raise RuntimeError("gate sync failed after 5 attempts")


@app.post("/webhooks/shop")
def shop_webhook():
    raw = request.get_data()
    if not _signature_ok(raw, request.headers.get("X-Shop-Hmac-Sha256")):
        abort(401)
    event = request.get_json()
    if event.get("topic") != "order.paid":
        return jsonify(ignored=True)

    order = event["order"]
    # Shop accounts are mirrored into `customers` at signup.
    customer = Customer.query.filter_by(shop_customer_id=order["customer_id"],
                                        resort_id=order["resort_id"]).first()
    if customer is None:
        log.error("order %s for unknown shop customer %s",
                  order["id"], order["customer_id"])
        abort(422)

    created = []
    for item in order["line_items"]:
        lift_pass = LiftPass.issue(
            customer=customer,
            resort_id=order["resort_id"],
            product=item["sku"],
            valid_from=item["properties"]["first_day"],
            days=int(item["properties"]["days"]),
        )
        db.session.add(lift_pass)
        created.append(lift_pass)

    LoyaltyAccount.query.filter_by(customer_id=customer.id).update(
        {LoyaltyAccount.points: LoyaltyAccount.points + int(float(order["total_price"]))}
    )
    db.session.commit()

    push_to_gates(created)
    return jsonify(passes=[p.code for p in created]), 201
