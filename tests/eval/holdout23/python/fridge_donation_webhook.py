"""Inbound webhook from the DropOff donation app.

When a volunteer scans items into a community fridge, DropOff POSTs a
`donation.logged` event here. We record the donation, bump the fridge's
stock counters and text the donor a thank-you.
"""
import hashlib
import hmac
import json
import logging
import os

import psycopg2.pool
from psycopg2.extras import execute_values
import requests
from flask import Flask, abort, jsonify, request

app = Flask(__name__)
log = logging.getLogger("fridge.webhook")

DROPOFF_SECRET = os.environ["DROPOFF_WEBHOOK_SECRET"].encode()
SMS_URL = os.environ.get("SMS_GATEWAY_URL", "https://sms.example.net/v1/messages")
SMS_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")

pool = psycopg2.pool.ThreadedConnectionPool(1, 10, dsn=os.environ["DATABASE_URL"])


def _verify(raw: bytes, header: str | None) -> bool:
    if not header:
        return False
    expected = hmac.new(DROPOFF_SECRET, raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


def _send_thanks(phone: str, fridge_name: str, count: int) -> None:
    try:
        requests.post(
            SMS_URL,
            json={"to": phone, "body": f"Thanks for the {count} items at {fridge_name} fridge!"},
            headers={"Authorization": f"Bearer {SMS_TOKEN}"},
            timeout=5,
        ).raise_for_status()
    except Exception:
        pass


@app.post("/webhooks/dropoff")
def dropoff_webhook():
    raw = request.get_data()
    if not _verify(raw, request.headers.get("X-DropOff-Signature")):
        abort(401)

    event = json.loads(raw)
    if event.get("type") != "donation.logged":
        return jsonify(ignored=True)

    data = event["data"]
    conn = pool.getconn()
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                "INSERT INTO donations (fridge_id, donor_phone, item_count, logged_at) "
                "VALUES (%s, %s, %s, %s)",
                (data["fridge_id"], data.get("donor_phone"), len(data["items"]), data["logged_at"]),
            )
            execute_values(
                cur,
                "UPDATE fridge_stock AS s SET quantity = s.quantity + v.qty, updated_at = now() "
                "FROM (VALUES %s) AS v(fridge_id, category, qty) "
                "WHERE s.fridge_id = v.fridge_id AND s.category = v.category",
                [(data["fridge_id"], item["category"], item["quantity"]) for item in data["items"]],
            )
            cur.execute("SELECT name FROM fridges WHERE id = %s", (data["fridge_id"],))
            fridge_name = cur.fetchone()[0]
    finally:
        pool.putconn(conn)

    if data.get("donor_phone"):
        _send_thanks(data["donor_phone"], fridge_name, len(data["items"]))

    return jsonify(ok=True)
