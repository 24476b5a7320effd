"""Brass rubbing workshop places - church-hall sessions run by the county heritage trust.

Deployed on the trust's VM as `gunicorn -w 4 -b 0.0.0.0:8000 workshops:app`.
"""
import time
from collections import defaultdict, deque

from flask import Flask, abort, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func, select

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg2://workshops@db/workshops"
app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_size": 5, "pool_pre_ping": True}
db = SQLAlchemy(app)

# Keep form spam down: at most 5 reservation attempts per address per 10 minutes.
WINDOW_SECONDS = 600
MAX_ATTEMPTS = 5
_recent_attempts: dict[str, deque] = defaultdict(deque)


class Workshop(db.Model):
    __tablename__ = "workshops"
    id = db.Column(db.Integer, primary_key=True)
    church = db.Column(db.String(120), nullable=False)
    brass = db.Column(db.String(200), nullable=False)  # e.g. "Sir Roger de Trumpington, 1289"
    starts_at = db.Column(db.DateTime, nullable=False)
    places = db.Column(db.Integer, nullable=False)


class Reservation(db.Model):
    __tablename__ = "workshop_reservations"
    id = db.Column(db.Integer, primary_key=True)
    workshop_id = db.Column(db.ForeignKey("workshops.id"), nullable=False, index=True)
    email = db.Column(db.String(254), nullable=False)
    party_size = db.Column(db.Integer, nullable=False, default=1)


def _too_many_attempts(addr: str) -> bool:
    now = time.monotonic()
    window = _recent_attempts[addr]
    while window and now - window[0] > WINDOW_SECONDS:
        window.popleft()
    if len(window) >= MAX_ATTEMPTS:
        return True
    window.append(now)
    return False


@app.get("/workshops")
def upcoming():
    rows = db.session.scalars(
        select(Workshop).where(Workshop.starts_at >= func.now()).order_by(Workshop.starts_at).limit(40)
    ).all()
    return jsonify([
        {"id": w.id, "church": w.church, "brass": w.brass, "starts_at": w.starts_at.isoformat()}
        for w in rows
    ])


@app.post("/workshops/<int:workshop_id>/reserve")
def reserve(workshop_id: int):
    if _too_many_attempts(request.remote_addr or "unknown"):
        abort(429)

    body = request.get_json(force=True)
    party = int(body.get("party_size", 1))
    if not 1 <= party <= 4:
        abort(400, "Parties of one to four, please - each table takes four rubbers.")

    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        abort(404)

    # Paper, heelball and wax are prepared per person, so count people rather than bookings.
    taken = db.session.scalar(select(func.sum(Reservation.party_size)).where(Reservation.workshop_id == workshop_id)) or 0
    if taken + party > workshop.places:
        return jsonify(error="Sorry, this session is full."), 409

    reservation = Reservation(workshop_id=workshop_id, email=body["email"], party_size=party)
    db.session.add(reservation)
    db.session.commit()
    return jsonify(id=reservation.id, places_left=workshop.places - taken - party), 201
