"""Rural broadband volunteer dig days: magic-link sign-in and sign-up for a dig.

Volunteers sign in with a one-time link by email; each link is a row with an expiry.
A celery beat job clears out expired and used links every night.
"""
import hashlib
import logging
import secrets
from datetime import datetime, timedelta, timezone

from celery import shared_task
from celery.schedules import crontab
from flask import Blueprint, abort, jsonify, request
from sqlalchemy import text

from .celery_app import celery_app
from .db import engine
from .auth import current_volunteer_id
from .mail import send_login_link

log = logging.getLogger(__name__)
bp = Blueprint("digs", __name__)

LINK_TTL = timedelta(minutes=20)
PURGE_BATCH = 5000
MAX_PURGE_BATCHES = 200


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@bp.post("/login-link")
def request_login_link():
    email = request.get_json(force=True)["email"].strip().lower()
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        volunteer_id = conn.execute(text("SELECT id FROM volunteers WHERE email = :e"), {"e": email}).scalar()
        if volunteer_id is not None:
            conn.execute(
                text("INSERT INTO login_links (token_hash, volunteer_id, expires_at) VALUES (:h, :v, :x)"),
                {"h": _hash(token), "v": volunteer_id, "x": datetime.now(timezone.utc) + LINK_TTL},
            )
            send_login_link.delay(email, token)
    # Same answer either way so the endpoint does not reveal who is registered.
    return jsonify(status="sent-if-registered"), 202


@bp.post("/digs/<int:dig_id>/sign-up")
def sign_up(dig_id: int):
    volunteer_id = current_volunteer_id()
    with engine.begin() as conn:
        claimed = conn.execute(
            text(
                "UPDATE dig_days SET volunteers_signed = volunteers_signed + 1 "
                "WHERE id = :d AND volunteers_signed < volunteers_needed AND dig_date >= current_date"
            ),
            {"d": dig_id},
        )
        if claimed.rowcount != 1:
            abort(409, "That dig day is full or has already happened.")
        # unique (dig_day_id, volunteer_id): a double click rolls the whole transaction back
        conn.execute(
            text("INSERT INTO dig_day_volunteers (dig_day_id, volunteer_id) VALUES (:d, :v)"),
            {"d": dig_id, "v": volunteer_id},
        )
    return jsonify(status="signed-up", dig_id=dig_id), 201


@shared_task(name="digs.purge_login_links")
def purge_login_links() -> int:
    """Delete expired or used login links in small batches to keep locks short."""
    total = 0
    for _ in range(MAX_PURGE_BATCHES):
        with engine.begin() as conn:
            deleted = conn.execute(
                text(
                    "DELETE FROM login_links WHERE token_hash IN ("
                    "  SELECT token_hash FROM login_links"
                    "  WHERE expires_at < now() OR used_at IS NOT NULL LIMIT :n)"
                ),
                {"n": PURGE_BATCH},
            ).rowcount
        total += deleted
        if deleted < PURGE_BATCH:
            break
    log.info("purged %d login links", total)
    return total


celery_app.conf.beat_schedule["purge-login-links"] = {
    "task": "digs.purge_login_links",
    "schedule": crontab(hour=3, minute=15),
}
