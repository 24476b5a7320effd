import time
from collections import defaultdict, deque

import bcrypt
from flask import Blueprint, jsonify, request, session

from .db import db_session
from .models import User

bp = Blueprint("auth", __name__, url_prefix="/auth")

# 5 attempts per minute per client
WINDOW_SECONDS = 60
MAX_ATTEMPTS = 5
_attempts: dict[str, deque] = defaultdict(deque)


def client_ip() -> str:
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.remote_addr or "unknown"


def too_many_attempts(key: str) -> bool:
    now = time.monotonic()
    window = _attempts[key]
    while window and now - window[0] > WINDOW_SECONDS:
        window.popleft()
    if len(window) >= MAX_ATTEMPTS:
        return True
    window.append(now)
    return False


@bp.post("/login")
def login():
    ip = client_ip()
    if too_many_attempts(ip):
        return jsonify(error="too many attempts, try again in a minute"), 429

    payload = request.get_json(force=True)
    user = db_session.query(User).filter_by(email=payload["email"].lower()).one_or_none()
    if user is None or not bcrypt.checkpw(payload["password"].encode(), user.password_hash):
        return jsonify(error="invalid credentials"), 401

    session.clear()
    session["user_id"] = user.id
    return jsonify(id=user.id, name=user.name)


@bp.post("/logout")
def logout():
    session.clear()
    return "", 204
