"""Open-day tour booking pages for the lifeboat station.

Visitors see the tour timetable (boathouse, slipway launch demo, crew room)
and we show rough travel times from their postcode so people don't turn up
after the last launch. Runs on the charity's shared Flask hosting.
"""
import json
import logging

import requests
from flask import Blueprint, jsonify, render_template, request, session
from redis import Redis

from station.db import query_all
from station.settings import GEOCODER_URL, REDIS_URL, STATION_LATLON

bp = Blueprint("open_day", __name__)
log = logging.getLogger(__name__)

cache = Redis.from_url(REDIS_URL, socket_timeout=1.5)
http = requests.Session()

# postcode -> (lat, lon); saves a geocoder call for repeat visitors
_postcode_locations: dict[str, tuple[float, float]] = {}


def _timetable(open_day_id: int) -> list[dict]:
    return query_all(
        """
        SELECT t.id, t.starts_at, t.kind, t.capacity - COUNT(b.id) AS places_left
        FROM tours t
        LEFT JOIN tour_bookings b ON b.tour_id = t.id AND b.cancelled_at IS NULL
        WHERE t.open_day_id = %s
        GROUP BY t.id
        ORDER BY t.starts_at
        """,
        (open_day_id,),
    )


@bp.get("/open-day/<int:open_day_id>/tours")
def tour_timetable(open_day_id: int):
    visitor = session.get("visitor_id", "anon")
    key = f"open-day:{open_day_id}:timetable:{visitor}"
    raw = cache.get(key)
    if raw:
        tours = json.loads(raw)
    else:
        tours = _timetable(open_day_id)
        cache.set(key, json.dumps(tours, default=str), ex=60)
    return render_template("open_day/tours.html", tours=tours)


def _locate(postcode: str) -> tuple[float, float]:
    postcode = postcode.replace(" ", "").upper()
    if postcode in _postcode_locations:
        return _postcode_locations[postcode]
    resp = http.get(f"{GEOCODER_URL}/postcodes/{postcode}", timeout=(2, 5))
    resp.raise_for_status()
    result = resp.json()["result"]
    loc = (result["latitude"], result["longitude"])
    _postcode_locations[postcode] = loc
    return loc


@bp.get("/open-day/travel")
def travel_estimate():
    postcode = request.args.get("postcode", "")
    if not 5 <= len(postcode) <= 8:
        return jsonify(error="enter a UK postcode"), 400
    try:
        lat, lon = _locate(postcode)
    except requests.RequestException:
        log.warning("geocoder lookup failed for %s", postcode, exc_info=True)
        return jsonify(error="could not look that postcode up right now"), 502

    # crude straight-line estimate at 40 mph over coast roads
    from math import asin, cos, radians, sin, sqrt

    slat, slon = STATION_LATLON
    dlat, dlon = radians(lat - slat), radians(lon - slon)
    a = sin(dlat / 2) ** 2 + cos(radians(slat)) * cos(radians(lat)) * sin(dlon / 2) ** 2
    miles = 3959 * 2 * asin(sqrt(a))
    return jsonify(miles=round(miles, 1), minutes=round(miles / 40 * 60))
