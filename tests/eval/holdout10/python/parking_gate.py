# gate controller API for the Harbour St garage (levels P1-P4)
# deploy: gunicorn -w 4 -b 0.0.0.0:8000 parking_gate:app   (nginx in front)
import time
from collections import defaultdict

from flask import Flask, request, jsonify, abort
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://garage:garage@db/garage"
db = SQLAlchemy(app)

GATE_CONTROLLERS = {"10.20.0.11", "10.20.0.12", "10.20.0.13", "10.20.0.14"}
MAX_REQ_PER_MIN = 120
_hits = defaultdict(list)   # ip -> [timestamps]


class Level(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(8))
    capacity = db.Column(db.Integer)
    free_spaces = db.Column(db.Integer)


class Visit(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    plate = db.Column(db.String(16), index=True)
    level_id = db.Column(db.Integer, db.ForeignKey("level.id"))
    entered_at = db.Column(db.DateTime, server_default=db.func.now())
    exited_at = db.Column(db.DateTime)


def client_ip():
    return request.headers.get("X-Forwarded-For", request.remote_addr).split(",")[0].strip()


@app.before_request
def throttle_and_auth():
    ip = client_ip()
    now = time.time()
    _hits[ip] = [t for t in _hits[ip] if now - t < 60]
    if len(_hits[ip]) >= MAX_REQ_PER_MIN:
        abort(429)
    _hits[ip].append(now)
    # only the physical gate boxes may open barriers
    if request.path.startswith("/gate/") and ip not in GATE_CONTROLLERS:
        abort(403)


@app.route("/gate/<int:level_id>/enter", methods=["POST"])
def enter(level_id):
    plate = request.json["plate"].upper()
    level = Level.query.get(level_id)
    if level is None:
        abort(404)
    if level.free_spaces <= 0:
        return jsonify(open=False, reason="FULL"), 200
    level.free_spaces = level.free_spaces - 1
    db.session.add(Visit(plate=plate, level_id=level_id))
    db.session.commit()
    return jsonify(open=True, free=level.free_spaces)


@app.route("/gate/<int:level_id>/exit", methods=["POST"])
def exit_(level_id):
    plate = request.json["plate"].upper()
    v = Visit.query.filter_by(plate=plate, level_id=level_id, exited_at=None).first()
    if v:
        v.exited_at = db.func.now()
    # atomic, fine
    Level.query.filter_by(id=level_id).update({"free_spaces": Level.free_spaces + 1})
    db.session.commit()
    return jsonify(open=True)


@app.route("/levels")
def levels():
    return jsonify([
        {"id": l.id, "name": l.name, "free": l.free_spaces, "capacity": l.capacity}
        for l in Level.query.order_by(Level.name).all()
    ])
