# newsletter public API (v1)
# deploy: gunicorn -w 4 -k gevent newsletter_app:app   -- 2 VMs behind haproxy
import time
from collections import defaultdict, deque

from flask import Flask, abort, g, jsonify, request
from flask_sqlalchemy import SQLAlchemy

from tasks import send_campaign, send_transactional

app = Flask(__name__)
app.config.from_envvar("NEWSLETTER_SETTINGS")
db = SQLAlchemy(app)

SEND_LIMIT = 10          # transactional sends per second per API key
_send_log = defaultdict(deque)


class ApiKey(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    publication_id = db.Column(db.Integer, nullable=False, index=True)
    token_hash = db.Column(db.String(64), unique=True, nullable=False)


class Subscriber(db.Model):
    id = db.Column(db.BigInteger, primary_key=True)
    publication_id = db.Column(db.Integer, nullable=False, index=True)
    email = db.Column(db.String(320), nullable=False)
    status = db.Column(db.String(16), default="active")
    created_at = db.Column(db.DateTime, server_default=db.func.now())
    __table_args__ = (db.UniqueConstraint("publication_id", "email"),)


class Campaign(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    publication_id = db.Column(db.Integer, nullable=False, index=True)
    subject = db.Column(db.String(200))
    status = db.Column(db.String(16), default="draft")


@app.before_request
def auth():
    import hashlib
    tok = request.headers.get("Authorization", "").removeprefix("Bearer ")
    key = ApiKey.query.filter_by(token_hash=hashlib.sha256(tok.encode()).hexdigest()).first()
    if key is None:
        abort(401)
    g.api_key = key


def _allow_send(key_id):
    now = time.monotonic()
    window = _send_log[key_id]
    while window and now - window[0] > 1.0:
        window.popleft()
    if len(window) >= SEND_LIMIT:
        return False
    window.append(now)
    return True


@app.post("/v1/transactional")
def transactional():
    if not _allow_send(g.api_key.id):
        return jsonify(error="rate limited"), 429
    body = request.get_json()
    send_transactional.delay(g.api_key.publication_id, body["to"], body["template"], body.get("vars", {}))
    return jsonify(queued=True), 202


@app.get("/v1/subscribers")
def list_subscribers():
    subs = (Subscriber.query
            .filter_by(publication_id=g.api_key.publication_id, status="active")
            .order_by(Subscriber.created_at)
            .all())
    return jsonify([{"id": s.id, "email": s.email, "since": s.created_at.isoformat()} for s in subs])


@app.post("/v1/campaigns/<int:campaign_id>/send")
def send(campaign_id):
    c = Campaign.query.filter_by(id=campaign_id, publication_id=g.api_key.publication_id).first_or_404()
    updated = (Campaign.query
               .filter_by(id=c.id, status="draft")
               .update({"status": "queued"}, synchronize_session=False))
    db.session.commit()
    if not updated:
        return jsonify(error="campaign already sent or sending"), 409
    send_campaign.delay(c.id)
    return jsonify(status="queued"), 202
