# channel manager: inbound reservation notifications from OTAs + ARI push back out
# deployed as 3 replicas behind the ingress; state lives in Postgres only
import hashlib
import hmac
import logging

import httpx
from flask import Blueprint, abort, current_app, jsonify, request
from psycopg_pool import ConnectionPool

from chanman.settings import settings

log = logging.getLogger(__name__)
bp = Blueprint("ota", __name__)

pool = ConnectionPool(settings.database_url, min_size=2, max_size=15)
ota_http = httpx.Client(
    base_url=settings.ota_api_base,
    timeout=httpx.Timeout(10.0, connect=3.0),
    limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
)


def verify(req):
    expected = hmac.new(settings.ota_webhook_secret.encode(), req.get_data(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, req.headers.get("X-OTA-Signature", "")):
        abort(401)


def push_availability(account_id, property_id, room_type_id, levels):
    resp = ota_http.post(
        f"/hotels/{property_id}/availability",
        json={"room_type": room_type_id,
              "days": [{"date": str(d), "available": n} for d, n in levels]},
        headers={"X-Account": str(account_id)},
    )
    resp.raise_for_status()


@bp.post("/webhooks/ota/reservations")
def ota_reservation():
    verify(request)
    evt = request.get_json()
    with pool.connection() as conn, conn.transaction():
        inserted = conn.execute(
            "INSERT INTO ota_events (event_id, received_at) VALUES (%s, now()) "
            "ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
            (evt["event_id"],),
        ).fetchone()
        if inserted is None:
            return jsonify(status="duplicate"), 200

        prop = conn.execute(
            "SELECT id, account_id FROM properties WHERE ota_hotel_code = %s",
            (evt["hotel_code"],),
        ).fetchone()
        if prop is None:
            abort(404)
        property_id, account_id = prop

        nights = evt["nights"]
        rows = conn.execute(
            "UPDATE inventory SET available = available - %s "
            "WHERE account_id = %s AND property_id = %s AND room_type_id = %s "
            "AND stay_date = ANY(%s) AND available >= %s RETURNING stay_date, available",
            (evt["rooms"], account_id, property_id, evt["room_type_id"], nights, evt["rooms"]),
        ).fetchall()
        if len(rows) != len(nights):
            # raising rolls back the whole transaction, including the ota_events row
            log.warning("overbooking on property %s (event %s)", property_id, evt["event_id"])
            raise Overbooked(evt["event_id"])

        conn.execute(
            "INSERT INTO reservations (account_id, property_id, ota_ref, room_type_id, arrival, departure) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (account_id, property_id, evt["ota_ref"], evt["room_type_id"], evt["arrival"], evt["departure"]),
        )

    try:
        push_availability(account_id, property_id, evt["room_type_id"], rows)
    except httpx.HTTPError:
        log.exception("ARI push failed for property %s; queued for resync", property_id)
        current_app.extensions["resync_queue"].enqueue(account_id, property_id)
        raise
    return jsonify(status="ok"), 200


class Overbooked(Exception):
    pass


@bp.errorhandler(Overbooked)
def overbooked(exc):
    # reject so the OTA rolls the booking back on their side
    return jsonify(status="rejected", reason="no_availability", event_id=str(exc)), 409
