# Footplate experience enquiries for the heritage steam railway.
#
# Visitors pick a locomotive and a preferred date; the enquiry goes into the
# volunteer office's CRM so the footplate inspector can call them back.
# Deployed on the trust's VPS: `gunicorn -w 4 -b 127.0.0.1:8000 app:app`
# behind Caddy.
import os
import time
from collections import defaultdict, deque
from datetime import date

import requests
from flask import Flask, abort, jsonify, request

app = Flask(__name__)

CRM_URL = os.environ.get("CRM_URL", "https://crm.example-railway.org.uk/api/v2/enquiries")
CRM_TOKEN = os.environ["CRM_TOKEN"]

crm = requests.Session()
crm.headers.update({"Authorization": f"Bearer {CRM_TOKEN}", "User-Agent": "footplate-web/1.4"})

WINDOW_SECONDS = 15 * 60
MAX_ENQUIRIES_PER_WINDOW = 3

LOCOMOTIVES = {
    "7820": "Dinmore Manor",
    "5542": "Large Prairie",
    "1450": "Auto tank",
}

_recent_by_ip = defaultdict(deque)


def _client_ip() -> str:
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.remote_addr or "unknown"


def _within_limit(ip: str) -> bool:
    now = time.monotonic()
    hits = _recent_by_ip[ip]
    while hits and now - hits[0] > WINDOW_SECONDS:
        hits.popleft()
    if len(hits) >= MAX_ENQUIRIES_PER_WINDOW:
        return False
    hits.append(now)
    return True


def _validate(payload: dict) -> dict:
    loco = str(payload.get("loco", ""))
    if loco not in LOCOMOTIVES:
        abort(400, description="Unknown locomotive")
    try:
        preferred = date.fromisoformat(payload.get("preferred_date", ""))
    except ValueError:
        abort(400, description="preferred_date must be YYYY-MM-DD")
    if preferred <= date.today():
        abort(400, description="Pick a date in the future")
    name = (payload.get("name") or "").strip()
    phone = (payload.get("phone") or "").strip()
    if not name or not phone:
        abort(400, description="Name and phone are required")
    return {
        "loco_number": loco,
        "loco_name": LOCOMOTIVES[loco],
        "preferred_date": preferred.isoformat(),
        "name": name[:120],
        "phone": phone[:32],
        "notes": (payload.get("notes") or "")[:1000],
        "source": "website-footplate",
    }


@app.get("/footplate/locomotives")
def list_locomotives():
    return jsonify([{"number": k, "name": v} for k, v in LOCOMOTIVES.items()])


@app.post("/footplate/enquiries")
def create_enquiry():
    if not _within_limit(_client_ip()):
        return jsonify(error="Too many enquiries, please ring the booking office"), 429

    enquiry = _validate(request.get_json(silent=True) or {})
    resp = crm.post(CRM_URL, json=enquiry)
    if resp.status_code >= 400:
        app.logger.error("CRM rejected enquiry: %s %s", resp.status_code, resp.text[:200])
        return jsonify(error="Could not record your enquiry right now"), 502

    return jsonify(reference=resp.json().get("id")), 201
