"""Member portal for the Sedgemoor Village Choir (robe loans, part files, rota).

Runs as gunicorn -w 4 on two small VMs behind a load balancer, so sessions
and rate-limit counters live in Redis where every worker can see them.
"""
import os

import redis
from flask import Flask, abort, jsonify, request, session
from flask_session import Session
from werkzeug.security import check_password_hash

from .db import db
from .models import Member, PartFile

app = Flask(__name__)
app.config.update(
    SECRET_KEY=os.environ["PORTAL_SECRET_KEY"],
    SESSION_TYPE="redis",
    SESSION_REDIS=redis.Redis.from_url(
        os.environ["REDIS_URL"], socket_timeout=1.0, socket_connect_timeout=1.0
    ),
    SESSION_PERMANENT=True,
    PERMANENT_SESSION_LIFETIME=60 * 60 * 24 * 14,
)
Session(app)
db.init_app(app)

limiter_redis = redis.Redis.from_url(
    os.environ["REDIS_URL"], socket_timeout=0.5, socket_connect_timeout=0.5
)

DOWNLOADS_PER_HOUR = 60


def allow(bucket: str, limit: int, window_seconds: int) -> bool:
    """Fixed-window counter shared by all workers: INCR, and set the expiry on first hit."""
    key = f"rl:{bucket}"
    with limiter_redis.pipeline() as pipe:
        pipe.incr(key)
        pipe.expire(key, window_seconds, nx=True)
        count, _ = pipe.execute()
    return count <= limit


@app.post("/login")
def login():
    form = request.get_json(force=True)
    email = form["email"].strip().lower()
    if not allow(f"login:{email}", limit=10, window_seconds=900):
        return jsonify(error="too many attempts, try again in 15 minutes"), 429
    member = Member.query.filter_by(email=email).one_or_none()
    if member is None or not check_password_hash(member.password_hash, form["password"]):
        return jsonify(error="wrong email or password"), 401
    session.clear()
    session["member_id"] = member.id
    return jsonify(name=member.display_name)


@app.get("/parts/<int:part_id>/download")
def download_part(part_id):
    member_id = session.get("member_id")
    if member_id is None:
        abort(401)
    if not allow(f"downloads:{member_id}", DOWNLOADS_PER_HOUR, 3600):
        return jsonify(error="download limit reached for this hour"), 429
    part = db.session.get(PartFile, part_id)
    if part is None:
        abort(404)
    return jsonify(url=part.signed_url(expires_in=300), voice=part.voice, piece=part.piece_title)
