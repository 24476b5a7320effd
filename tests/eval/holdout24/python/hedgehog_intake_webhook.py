import hashlib
import hmac
import logging
import os

import requests
from flask import Blueprint, abort, jsonify, request

from .db import db
from .models import Admission, Finder, OnCallRota

log = logging.getLogger(__name__)
bp = Blueprint("intake", __name__)

FORM_SECRET = os.environ["INTAKE_FORM_SECRET"].encode()
SMS_API = "https://api.textlocal.example/send"


def _verify(raw: bytes, signature: str) -> bool:
    expected = hmac.new(FORM_SECRET, raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature or "")


def _page_on_call(admission: Admission) -> None:
    volunteer = OnCallRota.current()
    requests.post(
        SMS_API,
        data={
            "apikey": os.environ["SMS_API_KEY"],
            "numbers": volunteer.mobile,
            "message": f"New hog #{admission.id} ({admission.condition}) from {admission.found_at_postcode}",
        },
        timeout=5,
    ).raise_for_status()


@bp.post("/webhooks/intake-form")
def intake_form_submitted():
    """Called by the online 'I found a hedgehog' form each time someone submits it."""
    if not _verify(request.get_data(), request.headers.get("X-Form-Signature")):
        abort(401)

    event = request.get_json()
    answers = event["submission"]["answers"]

    finder = Finder.query.filter_by(email=answers["email"].lower()).first()
    if finder is None:
        finder = Finder(email=answers["email"].lower(), name=answers["name"], phone=answers.get("phone"))
        db.session.add(finder)

    admission = Admission(
        finder=finder,
        found_at_postcode=answers["postcode"].upper(),
        condition=answers.get("condition", "unknown"),
        weight_g=answers.get("weight_g"),
        daytime_sighting=answers.get("seen_in_daylight") == "yes",
        form_submission_id=event["submission"]["id"],
    )
    db.session.add(admission)
    db.session.commit()

    # Daytime sightings are usually emergencies: wake someone up.
    if admission.daytime_sighting or admission.condition in {"injured", "flystrike"}:
        try:
            _page_on_call(admission)
        except Exception:
            pass

    return jsonify({"admission_id": admission.id}), 200
