"""Licensing authority webhook for seaweed harvesting licences.

The marine authority calls us when a licence is granted, varied or revoked.
It redelivers on any non-2xx and sometimes twice on success, so every event
id is recorded once in ``processed_events`` before anything is applied.
"""
import hashlib
import hmac
import logging
import os

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import create_engine, text

log = logging.getLogger(__name__)
bp = Blueprint("authority_hooks", __name__)

engine = create_engine(
    os.environ["HARVEST_DB_URL"],
    pool_size=5,
    pool_pre_ping=True,
    pool_timeout=10,
    connect_args={"options": "-c statement_timeout=5000"},
)
SECRET = os.environ["AUTHORITY_WEBHOOK_SECRET"].encode()

STATUS_FOR_EVENT = {
    "licence.granted": "active",
    "licence.varied": "active",
    "licence.revoked": "revoked",
}


def _signature_ok(raw: bytes, header: str | None) -> bool:
    if not header:
        return False
    digest = hmac.new(SECRET, raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(digest, header)


@bp.post("/hooks/marine-authority")
def authority_webhook():
    raw = request.get_data()
    if not _signature_ok(raw, request.headers.get("X-Authority-Signature")):
        abort(401)

    event = request.get_json()
    status = STATUS_FOR_EVENT.get(event["type"])
    if status is None:
        return jsonify({"ignored": event["type"]}), 200

    lic = event["licence"]
    with engine.begin() as conn:
        first_time = conn.execute(
            text(
                "INSERT INTO processed_events (event_id, source, received_at) "
                "VALUES (:eid, 'marine-authority', now()) "
                "ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
            ),
            {"eid": event["id"]},
        ).scalar()
        if first_time is None:
            log.info("duplicate delivery of %s ignored", event["id"])
            return jsonify({"duplicate": True}), 200

        conn.execute(
            text(
                "UPDATE harvest_licences SET status = :status, zone_code = :zone, "
                "annual_tonnage_limit = :tonnes, valid_until = :until "
                "WHERE authority_ref = :ref"
            ),
            {
                "status": status,
                "zone": lic["zone"],           # e.g. "ORK-07" for an Orkney foreshore zone
                "tonnes": lic["tonnage_limit"],
                "until": lic["valid_until"],
                "ref": lic["reference"],
            },
        )

    return jsonify({"applied": event["id"]}), 200
