"""Towpath closure notices API used by the boaters' and cyclists' apps.

Notices are written by the waterway engineers in the ops database; this
service only reads them. The app's search box also resolves place names
("Lock 42, Grand Union", "Foxton flight") so people can jump the map there.
"""
import os

import psycopg2
import psycopg2.extras
import requests
from flask import Flask, abort, jsonify, request

app = Flask(__name__)

DATABASE_URL = os.environ["NOTICES_DATABASE_URL"]
GEOCODER_URL = os.environ.get("GEOCODER_URL", "https://geocode.internal.example/v1/search")

# normalised query -> (lat, lon) or None
_place_lookup_cache = {}


@app.get("/places")
def search_place():
    q = " ".join(request.args.get("q", "").lower().split())
    if len(q) < 3:
        abort(400, "query too short")
    if q not in _place_lookup_cache:
        resp = requests.get(GEOCODER_URL, params={"q": q, "country": "gb", "layer": "waterways"}, timeout=4)
        resp.raise_for_status()
        hits = resp.json().get("results", [])
        _place_lookup_cache[q] = (hits[0]["lat"], hits[0]["lon"]) if hits else None
    point = _place_lookup_cache[q]
    if point is None:
        abort(404)
    return jsonify({"q": q, "lat": point[0], "lon": point[1]})


@app.get("/waterways/<int:waterway_id>/closures")
def closures(waterway_id: int):
    status = request.args.get("status", "active")
    if status not in {"active", "planned"}:
        abort(400)

    conn = psycopg2.connect(DATABASE_URL, connect_timeout=5)
    try:
        with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
            cur.execute(
                """
                SELECT id, title, location_text, ST_Y(geom) AS lat, ST_X(geom) AS lon,
                       starts_on, ends_on, diversion, affects
                  FROM towpath_notices
                 WHERE waterway_id = %s
                   AND status = %s
                   AND (ends_on IS NULL OR ends_on >= current_date)
                 ORDER BY starts_on
                 LIMIT 100
                """,
                (waterway_id, status),
            )
            notices = cur.fetchall()
    finally:
        conn.close()

    for n in notices:
        n["starts_on"] = n["starts_on"].isoformat()
        n["ends_on"] = n["ends_on"].isoformat() if n["ends_on"] else None
    return jsonify(notices)
