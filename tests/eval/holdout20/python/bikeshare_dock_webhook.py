"""Receives ride events from the dock controller vendor (DockLink).

DockLink posts a JSON event whenever a bike is returned to a dock. We close
the ride, charge the member's minute balance and mark the dock occupied.
"""
import hashlib
import hmac
import os
from datetime import datetime, timezone

from flask import Blueprint, abort, jsonify, request
from psycopg2.pool import ThreadedConnectionPool

bp = Blueprint("docklink", __name__, url_prefix="/hooks")

DOCKLINK_SECRET = os.environ["DOCKLINK_WEBHOOK_SECRET"].encode()
pool = ThreadedConnectionPool(2, 20, dsn=os.environ["DATABASE_URL"], connect_timeout=5)

FREE_MINUTES = 30


def _verify(raw: bytes, signature: str) -> bool:
    expected = hmac.new(DOCKLINK_SECRET, raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature or "")


def _billable_minutes(started_at: datetime, ended_at: datetime) -> int:
    minutes = int((ended_at - started_at).total_seconds() // 60) + 1
    return max(0, minutes - FREE_MINUTES)


@bp.post("/docklink/bike-returned")
def bike_returned():
    raw = request.get_data()
    if not _verify(raw, request.headers.get("X-DockLink-Signature")):
        abort(401)

    event = request.get_json()
    ride_id = event["ride_ref"]
    dock_id = event["dock_id"]
    ended_at = datetime.fromtimestamp(event["returned_at"], tz=timezone.utc)

    conn = pool.getconn()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT member_id, started_at FROM rides WHERE ride_ref = %s",
                (ride_id,),
            )
            ride = cur.fetchone()
            if ride is None:
                return jsonify({"ignored": "unknown ride"}), 200
            member_id, started_at = ride
            billable = _billable_minutes(started_at, ended_at)

            cur.execute(
                "UPDATE rides SET ended_at = %s, end_dock_id = %s, billed_minutes = %s "
                "WHERE ride_ref = %s",
                (ended_at, dock_id, billable, ride_id),
            )
            cur.execute(
                "UPDATE members SET minute_balance = minute_balance - %s WHERE id = %s",
                (billable, member_id),
            )
            cur.execute(
                "UPDATE docks SET occupied = true, bike_id = %s, updated_at = now() "
                "WHERE id = %s",
                (event["bike_id"], dock_id),
            )
            cur.execute(
                "INSERT INTO member_ledger (member_id, ride_ref, minutes, kind) "
                "VALUES (%s, %s, %s, 'ride')",
                (member_id, ride_id, -billable),
            )
        conn.commit()
    except Exception:
        conn.rollback()
    finally:
        pool.putconn(conn)

    return jsonify({"received": True}), 200
