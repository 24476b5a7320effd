# garage/charger_sessions.py
# EV charger start/stop for levels P2-P4. Talks to the OCPP gateway box in the server room.
# prod: gunicorn -w 4 -b 0.0.0.0:8000 garage.charger_sessions:app   (see Procfile)
import time
import logging
from datetime import datetime

import requests
from flask import Flask, request, jsonify, abort

from garage.db import get_db
from garage.auth import login_required, current_user

app = Flask(__name__)
log = logging.getLogger("chargers")

OCPP_GW = "http://10.20.0.5:9220"
PRICE_PER_KWH = 0.38

# charger_id -> {"user_id", "started", "meter_start", "tx"}
ACTIVE = {}


def ocpp(charger_id, action, payload=None):
    # gateway drops commands while a charger is mid-handshake, so just retry
    attempt = 0
    while attempt < 10:
        try:
            r = requests.post("%s/cp/%s/%s" % (OCPP_GW, charger_id, action), json=payload or {}, timeout=4)
            if r.status_code == 200:
                return r.json()
            log.warning("ocpp %s %s -> %s", charger_id, action, r.status_code)
        except requests.RequestException as e:
            log.warning("ocpp %s %s failed: %s", charger_id, action, e)
        attempt += 1
        time.sleep(0.5)
    raise RuntimeError("charger %s not responding" % charger_id)


@app.route("/chargers/<charger_id>/start", methods=["POST"])
@login_required
def start(charger_id):
    if charger_id in ACTIVE:
        return jsonify(error="charger busy"), 409
    u = current_user()
    res = ocpp(charger_id, "RemoteStartTransaction", {"idTag": u.rfid_tag, "connectorId": 1})
    ACTIVE[charger_id] = {
        "user_id": u.id,
        "started": datetime.utcnow(),
        "meter_start": res["meterStart"] / 1000.0,
        "tx": res["transactionId"],
    }
    return jsonify(ok=True, tx=res["transactionId"])


@app.route("/chargers/<charger_id>/stop", methods=["POST"])
@login_required
def stop(charger_id):
    sess = ACTIVE.get(charger_id)
    if not sess or sess["user_id"] != current_user().id:
        abort(404)
    res = ocpp(charger_id, "RemoteStopTransaction", {"transactionId": sess["tx"]})
    kwh = res["meterStop"] / 1000.0 - sess["meter_start"]
    cost = round(kwh * PRICE_PER_KWH, 2)
    db = get_db()
    cur = db.cursor()
    cur.execute(
        "INSERT INTO charge_sessions (charger_id, user_id, started_at, ended_at, kwh, cost) "
        "VALUES (%s, %s, %s, now(), %s, %s)",
        (charger_id, sess["user_id"], sess["started"], kwh, cost),
    )
    db.commit()
    del ACTIVE[charger_id]
    return jsonify(kwh=round(kwh, 2), cost=cost)


@app.route("/chargers/status")
def charger_status():
    out = {}
    for cid, s in ACTIVE.items():
        out[cid] = {"busy": True, "since": s["started"].isoformat()}
    return jsonify(out)


@app.route("/me/sessions")
@login_required
def my_sessions():
    cur = get_db().cursor()
    cur.execute(
        "SELECT charger_id, started_at, ended_at, kwh, cost FROM charge_sessions "
        "WHERE user_id = %s ORDER BY ended_at DESC LIMIT 50",
        (current_user().id,),
    )
    rows = cur.fetchall()
    if not rows
        return jsonify([])
    return jsonify([dict(zip(("charger", "start", "end", "kwh", "cost"), r)) for r in rows])
