# sneaker drop raffle service
# prod: gunicorn -w 4 -b 0.0.0.0:8000 sneaker_raffle:app  (2 pods behind nginx ingress)
import os
import time
from collections import defaultdict
from datetime import datetime

from flask import Flask, abort, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.exc import IntegrityError

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
db = SQLAlchemy(app)

ENTRIES_PER_MINUTE = 5
_hits = defaultdict(list)  # ip -> timestamps of recent entry attempts


class Drop(db.Model):
    __tablename__ = "drops"
    id = db.Column(db.Integer, primary_key=True)
    sku = db.Column(db.String(32), nullable=False)
    name = db.Column(db.String(120), nullable=False)
    opens_at = db.Column(db.DateTime, nullable=False)
    closes_at = db.Column(db.DateTime, nullable=False)
    entry_count = db.Column(db.Integer, nullable=False, default=0)


class Entry(db.Model):
    __tablename__ = "raffle_entries"
    id = db.Column(db.Integer, primary_key=True)
    drop_id = db.Column(db.Integer, db.ForeignKey("drops.id"), nullable=False)
    user_id = db.Column(db.Integer, nullable=False)
    shoe_size = db.Column(db.String(8), nullable=False)
    ticket_no = db.Column(db.Integer, nullable=False)
    __table_args__ = (db.UniqueConstraint("drop_id", "user_id"),)


def _ip():
    xff = request.headers.get("X-Forwarded-For", "")
    return xff.split(",")[0].strip() or request.remote_addr


def _too_many(ip):
    now = time.time()
    recent = [t for t in _hits[ip] if now - t < 60]
    recent.append(now)
    _hits[ip] = recent
    return len(recent) > ENTRIES_PER_MINUTE


@app.post("/drops/<int:drop_id>/enter")
def enter_raffle(drop_id):
    if _too_many(_ip()):
        abort(429)
    body = request.get_json(force=True)

    drop = db.session.get(Drop, drop_id)
    if drop is None:
        abort(404)
    now = datetime.utcnow()
    if not (drop.opens_at <= now < drop.closes_at):
        return jsonify(error="raffle closed"), 409

    # ticket numbers are sequential per drop, shown on the confirmation screen
    ticket_no = drop.entry_count + 1
    drop.entry_count = ticket_no
    db.session.add(Entry(drop_id=drop.id, user_id=body["user_id"],
                         shoe_size=body["size"], ticket_no=ticket_no))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return jsonify(error="already entered"), 409
    return jsonify(ticket=ticket_no), 201


@app.get("/drops/<int:drop_id>")
def drop_info(drop_id):
    drop = Drop.query.get_or_404(drop_id)
    return jsonify(sku=drop.sku, name=drop.name, entries=drop.entry_count,
                   opens_at=drop.opens_at.isoformat(), closes_at=drop.closes_at.isoformat())
