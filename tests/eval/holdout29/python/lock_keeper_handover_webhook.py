"""Receives shift events from the rota provider for canal lock-keepers.

The provider retries deliveries until it gets a 2xx, and sometimes delivers
the same event twice, so every event id is recorded before it is applied.
"""
import hashlib
import hmac
import logging
import os

from flask import Flask, abort, g, jsonify, request
from psycopg_pool import ConnectionPool

from .auth import keeper_required

log = logging.getLogger("handover")

app = Flask(__name__)
pool = ConnectionPool(
    os.environ["CANAL_DB_URL"],
    min_size=2,
    max_size=10,
    timeout=5,
    kwargs={"options": "-c statement_timeout=5000"},
)
ROTA_SECRET = os.environ["ROTA_WEBHOOK_SECRET"].encode()


def _verified_body() -> bytes:
    body = request.get_data()
    sig = request.headers.get("X-Rota-Signature", "")
    expected = hmac.new(ROTA_SECRET, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(sig, expected):
        abort(401)
    return body


@app.post("/webhooks/rota")
def rota_event():
    _verified_body()
    event = request.get_json()
    event_id = event["id"]
    data = event["data"]

    with pool.connection() as conn, conn.transaction():
        first_delivery = conn.execute(
            "INSERT INTO rota_events (event_id, event_type, waterway_id) "
            "VALUES (%s, %s, %s) ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
            (event_id, event["type"], data["waterway_id"]),
        ).fetchone()
        if first_delivery is None:
            log.info("duplicate rota event %s ignored", event_id)
            return jsonify(status="duplicate"), 200

        if event["type"] == "shift.handover":
            conn.execute(
                "INSERT INTO lock_handovers "
                "(waterway_id, lock_id, outgoing_keeper_id, incoming_keeper_id, "
                " water_level_cm, paddles_checked, notes, handed_over_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (data["waterway_id"], data["lock_id"], data["outgoing_keeper_id"],
                 data["incoming_keeper_id"], data.get("water_level_cm"),
                 bool(data.get("paddles_checked")), (data.get("notes") or "")[:1000],
                 data["handed_over_at"]),
            )
            conn.execute(
                "UPDATE locks SET keeper_on_duty_id = %s "
                "WHERE id = %s AND waterway_id = %s",
                (data["incoming_keeper_id"], data["lock_id"], data["waterway_id"]),
            )
        elif event["type"] == "shift.cancelled":
            conn.execute(
                "UPDATE keeper_shifts SET status = 'cancelled' "
                "WHERE external_id = %s AND waterway_id = %s",
                (data["shift_id"], data["waterway_id"]),
            )
        else:
            log.info("rota event type %s not handled", event["type"])

    return jsonify(status="applied"), 200


@app.get("/locks/<int:lock_id>/handovers")
@keeper_required
def recent_handovers(lock_id: int):
    waterway_id = g.keeper.waterway_id
    limit = min(request.args.get("limit", 20, type=int), 100)
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT outgoing_keeper_id, incoming_keeper_id, water_level_cm, handed_over_at "
            "FROM lock_handovers WHERE waterway_id = %s AND lock_id = %s "
            "ORDER BY handed_over_at DESC LIMIT %s",
            (waterway_id, lock_id, limit),
        ).fetchall()
    return jsonify([
        {"outgoing": r[0], "incoming": r[1], "level_cm": r[2], "at": r[3].isoformat()}
        for r in rows
    ])
