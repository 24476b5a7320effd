"""Net booking endpoints for the Ashcombe Village Cricket Club members' site.

Members book one of the three practice lanes in 30-minute slots. Lane 1 is
the indoor barn lane; lanes 2 and 3 are on the outfield.
"""
from datetime import datetime, timedelta

import requests
from flask import Blueprint, abort, g, jsonify, request
from psycopg2.pool import ThreadedConnectionPool

from .auth import login_required
from .config import settings

bp = Blueprint("nets", __name__, url_prefix="/nets")

pool = ThreadedConnectionPool(minconn=1, maxconn=10, dsn=settings.DATABASE_URL)

MAX_LANES = 3
SLOT_LENGTH = timedelta(minutes=30)
FORECAST_URL = "https://api.open-meteo.com/v1/forecast"


def _forecast_is_dry(slot_start: datetime) -> bool:
    """Ask the forecast service whether heavy rain is expected during the slot."""
    resp = requests.get(
        FORECAST_URL,
        params={
            "latitude": settings.GROUND_LAT,
            "longitude": settings.GROUND_LON,
            "hourly": "precipitation_probability",
            "start_date": slot_start.date().isoformat(),
            "end_date": slot_start.date().isoformat(),
        },
    )
    resp.raise_for_status()
    hourly = resp.json()["hourly"]["precipitation_probability"]
    return hourly[slot_start.hour] < 60


@bp.post("/bookings")
@login_required
def book_net():
    body = request.get_json(force=True)
    slot_start = datetime.fromisoformat(body["slot_start"])
    lane = int(body["lane"])
    if not 1 <= lane <= MAX_LANES:
        abort(400, "unknown lane")
    if slot_start.minute not in (0, 30):
        abort(400, "slots start on the hour or half hour")

    # Outdoor lanes are closed when heavy rain is forecast.
    if lane > 1 and not _forecast_is_dry(slot_start):
        return jsonify(error="outdoor lanes closed: rain forecast"), 409

    conn = pool.getconn()
    try:
        with conn:
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT count(*) FROM net_bookings WHERE lane = %s AND slot_start = %s",
                    (lane, slot_start),
                )
                (taken,) = cur.fetchone()
                if taken:
                    return jsonify(error="lane already booked"), 409
                cur.execute(
                    "INSERT INTO net_bookings (lane, slot_start, slot_end, member_id) "
                    "VALUES (%s, %s, %s, %s) RETURNING id",
                    (lane, slot_start, slot_start + SLOT_LENGTH, g.member.id),
                )
                booking_id = cur.fetchone()[0]
    finally:
        pool.putconn(conn)

    return jsonify(id=booking_id, lane=lane, slot_start=slot_start.isoformat()), 201


@bp.get("/bookings/mine")
@login_required
def my_bookings():
    conn = pool.getconn()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT id, lane, slot_start FROM net_bookings "
                "WHERE member_id = %s AND slot_start >= now() "
                "ORDER BY slot_start LIMIT 20",
                (g.member.id,),
            )
            rows = cur.fetchall()
    finally:
        pool.putconn(conn)
    return jsonify([
        {"id": r[0], "lane": r[1], "slot_start": r[2].isoformat()} for r in rows
    ])


@bp.delete("/bookings/<int:booking_id>")
@login_required
def cancel_booking(booking_id: int):
    conn = pool.getconn()
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                "DELETE FROM net_bookings WHERE id = %s AND member_id = %s",
                (booking_id, g.member.id),
            )
            if cur.rowcount == 0:
                abort(404)
    finally:
        pool.putconn(conn)
    return "", 204
