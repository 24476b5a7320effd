# Fixture invitations between morris sides.
# The app runs under gunicorn -w 4 on two VMs, so the invite throttle lives in
# Redis and is keyed on the signed-in side, not on anything the browser sends.

import time

import redis
import requests
from celery import group, shared_task
from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from .models import Fixture, Side, db
from .settings import settings

bp = Blueprint("invites", __name__)

rds = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
mail_http = requests.Session()

INVITES_PER_HOUR = 40


def _within_invite_limit(side_id: int) -> bool:
    window = int(time.time() // 3600)
    key = f"ratelimit:fixture-invites:{side_id}:{window}"
    pipe = rds.pipeline()
    pipe.incr(key)
    pipe.expire(key, 3600)
    count, _ = pipe.execute()
    return count <= INVITES_PER_HOUR


@bp.post("/fixtures/<int:fixture_id>/invites")
@login_required
def invite_sides(fixture_id: int):
    host_side_id = current_user.side_id
    fixture = Fixture.query.filter_by(id=fixture_id, host_side_id=host_side_id).first_or_404()

    side_ids = [int(s) for s in (request.get_json(silent=True) or {}).get("side_ids", [])][:20]
    if not side_ids:
        return jsonify(error="choose at least one side"), 400
    if not _within_invite_limit(host_side_id):
        return jsonify(error="Invitation limit reached, try again later"), 429

    sides = Side.query.filter(Side.id.in_(side_ids), Side.accepts_invites.is_(True)).all()
    group(send_fixture_invite.s(fixture.id, s.id, s.squire_email) for s in sides).apply_async()

    return jsonify(queued=[s.id for s in sides]), 202


@shared_task(
    autoretry_for=(requests.ConnectionError, requests.Timeout),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=6,
)
def send_fixture_invite(fixture_id: int, side_id: int, email: str) -> None:
    fixture = db.session.get(Fixture, fixture_id)
    resp = mail_http.post(
        f"{settings.MAIL_API_URL}/messages",
        json={
            "to": email,
            "template": "fixture-invite",
            "vars": {"fixture": fixture.title, "date": fixture.starts_at.date().isoformat(), "venue": fixture.venue_name},
        },
        headers={"Idempotency-Key": f"fixture-invite-{fixture_id}-{side_id}"},
        timeout=(3, 10),
    )
    resp.raise_for_status()
