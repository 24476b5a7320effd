# parking garage kiosk + mobile API
# prod: gunicorn -w 4 -b 0.0.0.0:8000 parking.app:app, 2 VMs behind nginx
import time
import uuid
from collections import defaultdict, deque

from flask import Flask, abort, jsonify, request

from parking.db import get_db

app = Flask(__name__)

RATE_LIMIT = 30          # requests
RATE_WINDOW = 60         # seconds
SPOT_HOLD_SECONDS = 300

_hits = defaultdict(deque)   # ip -> timestamps
_spot_holds = {}             # spot_id -> {"token":..., "plate":..., "until":...}


def client_ip():
    fwd = request.headers.get("X-Forwarded-For", "")
    return fwd.split(",")[0].strip() if fwd else request.remote_addr


@app.before_request
def throttle():
    ip = client_ip()
    now = time.time()
    q = _hits[ip]
    while q and q[0] < now - RATE_WINDOW:
        q.popleft()
    if len(q) >= RATE_LIMIT:
        abort(429)
    q.append(now)


@app.get("/garages/<int:garage_id>/free")
def free_spots(garage_id):
    db = get_db()
    rows = db.execute(
        "SELECT id, level, number FROM spots WHERE garage_id = ? AND occupied = 0 ORDER BY level, number LIMIT 200",
        (garage_id,),
    ).fetchall()
    now = time.time()
    free = [dict(r) for r in rows if _spot_holds.get(r["id"], {}).get("until", 0) < now]
    return jsonify(free)


@app.post("/spots/<int:spot_id>/hold")
def hold_spot(spot_id):
    plate = (request.json or {}).get("plate", "").upper()
    if not plate:
        abort(400)
    now = time.time()
    h = _spot_holds.get(spot_id)
    if h and h["until"] > now:
        return jsonify({"error": "spot held"}), 409
    token = uuid.uuid4().hex
    _spot_holds[spot_id] = {"token": token, "plate": plate, "until": now + SPOT_HOLD_SECONDS}
    return jsonify({"token": token, "expires_in": SPOT_HOLD_SECONDS})


@app.post("/spots/<int:spot_id>/enter")
def enter(spot_id):
    token = (request.json or {}).get("token")
    h = _spot_holds.pop(spot_id, None)
    if not h or h["token"] != token:
        abort(403)
    db = get_db()
    db.execute(
        "UPDATE spots SET occupied = 1, plate = ?, entered_at = CURRENT_TIMESTAMP WHERE id = ? AND occupied = 0",
        (h["plate"], spot_id),
    )
    db.commit()
    return jsonify({"ok": True})
