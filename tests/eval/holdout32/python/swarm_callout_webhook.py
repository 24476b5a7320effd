"""Swarm hotline integration for the county beekeeping association.

Members of the public report a swarm through the hotline provider's IVR; the
provider POSTs a signed JSON event to us, and we assign the nearest volunteer
collector and text them the location.
"""
import hashlib
import hmac
import logging
import os

import requests
from flask import Flask, abort, jsonify, request

from models import Collector, SwarmReport, db

app = Flask(__name__)
log = logging.getLogger("swarm")

HOTLINE_SECRET = os.environ["HOTLINE_WEBHOOK_SECRET"].encode()
SMS_API = "https://api.textlocal.example/send"
SMS_KEY = os.environ["SMS_API_KEY"]


def _verify_signature(raw: bytes, header: str | None) -> bool:
    if not header:
        return False
    expected = hmac.new(HOTLINE_SECRET, raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)


def _nearest_collector(lat: float, lng: float) -> Collector | None:
    # PostGIS distance ordering; collectors flag themselves available in the app.
    # Row lock (skipping rows another report has already locked) so one collector
    # is never handed two swarms at once.
    return (
        Collector.query.filter_by(available=True)
        .order_by(Collector.location.distance_centroid(f"POINT({lng} {lat})"))
        .with_for_update(skip_locked=True)
        .first()
    )


def _text_collector(collector: Collector, report: SwarmReport) -> None:
    resp = requests.post(
        SMS_API,
        data={
            "apikey": SMS_KEY,
            "numbers": collector.mobile,
            "message": f"Swarm at {report.what3words} ({report.height_m} m up). Reply Y to accept.",
        },
        timeout=10,
    )
    resp.raise_for_status()


@app.post("/hooks/hotline/swarm-reported")
def swarm_reported():
    raw = request.get_data()
    if not _verify_signature(raw, request.headers.get("X-Hotline-Signature")):
        abort(401)

    event = request.get_json()
    payload = event["data"]

    report = SwarmReport(
        caller_phone=payload["caller"],
        what3words=payload["location"]["w3w"],
        lat=payload["location"]["lat"],
        lng=payload["location"]["lng"],
        height_m=payload.get("height_m", 0),
        status="new",
    )
    db.session.add(report)

    collector = _nearest_collector(report.lat, report.lng)
    if collector is not None:
        report.collector = collector
        report.status = "assigned"
        collector.available = False
        collector.callouts_this_season = Collector.callouts_this_season + 1

    db.session.commit()

    if collector is not None:
        _text_collector(collector, report)
        log.info("swarm report %s assigned to %s", report.id, collector.id)
    else:
        log.warning("swarm report %s has no available collector", report.id)

    return jsonify(received=True), 200
