"""Provisional holds on dark-sky observing pitches.

While an applicant fills in the permit form, their chosen pitch and night are
held for 20 minutes. Holds are created atomically and expired holds are
purged every 10 minutes by a beat task; the Redis lock makes sure only one
of the worker replicas runs the purge at a time.
"""
import logging
import uuid
from datetime import timedelta

import redis
from celery import shared_task
from sqlalchemy import text

from .db import engine
from .settings import settings

log = logging.getLogger(__name__)

HOLD_MINUTES = 20
PURGE_BATCH = 5_000

r = redis.Redis.from_url(settings.redis_url, socket_timeout=2)


def place_hold(site_id: int, pitch_no: int, night, applicant_id: int) -> str | None:
    """Returns the hold token, or None if the pitch is taken for that night."""
    token = uuid.uuid4().hex
    with engine.begin() as conn:
        # unique (site_id, pitch_no, night); an expired hold is replaced in place
        row = conn.execute(text(
            "INSERT INTO pitch_holds (site_id, pitch_no, night, applicant_id, token, expires_at) "
            "VALUES (:site_id, :pitch_no, :night, :applicant_id, :token, now() + make_interval(mins => :mins)) "
            "ON CONFLICT (site_id, pitch_no, night) DO UPDATE "
            "SET applicant_id = EXCLUDED.applicant_id, token = EXCLUDED.token, "
            "    expires_at = EXCLUDED.expires_at "
            "WHERE pitch_holds.expires_at < now() "
            "RETURNING token"
        ), {"site_id": site_id, "pitch_no": pitch_no, "night": night,
            "applicant_id": applicant_id, "token": token, "mins": HOLD_MINUTES}).first()
    return row.token if row else None


def release_hold(token: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM pitch_holds WHERE token = :token"), {"token": token})


@shared_task(name="darksky.purge_expired_holds")
def purge_expired_holds() -> int:
    # nx + ex: a second replica skips the run; the lock expires if we crash
    if not r.set("darksky:purge-holds:lock", "1", nx=True, ex=int(timedelta(minutes=9).total_seconds())):
        log.info("purge already running elsewhere")
        return 0
    total = 0
    try:
        while True:
            with engine.begin() as conn:
                deleted = conn.execute(text(
                    "DELETE FROM pitch_holds WHERE id IN ("
                    "  SELECT id FROM pitch_holds WHERE expires_at < now() "
                    "  ORDER BY expires_at LIMIT :batch FOR UPDATE SKIP LOCKED)"
                ), {"batch": PURGE_BATCH}).rowcount
            total += deleted
            if deleted < PURGE_BATCH:
                break
    finally:
        r.delete("darksky:purge-holds:lock")
    log.info("purged %d expired pitch holds", total)
    return total


# celery beat schedule (settings.CELERY_BEAT_SCHEDULE)
BEAT_SCHEDULE = {
    "purge-expired-pitch-holds": {
        "task": "darksky.purge_expired_holds",
        "schedule": timedelta(minutes=10),
    },
}
