"""Scout hut hire - provisional holds (service + housekeeping task).

A hold keeps a session (morning/afternoon/evening) for 20 minutes while the
hirer completes the form. `hut_holds` has UNIQUE (hut_id, session_date,
session_part), so the database decides who gets the slot; an expired hold
can be taken over in the same statement. A beat task clears expired holds
every ten minutes so the table stays small.
"""
import logging
from datetime import timedelta

from celery import shared_task
from celery.schedules import crontab
from sqlalchemy import text

from hire.celery_app import app as celery_app
from hire.db import engine

log = logging.getLogger(__name__)

HOLD_TTL = timedelta(minutes=20)

PLACE_HOLD_SQL = text(
    """
    INSERT INTO hut_holds (hut_id, session_date, session_part, hirer_id, expires_at)
    SELECT :hut, :d, :part, :hirer, now() + :ttl
    WHERE NOT EXISTS (
        SELECT 1 FROM hut_bookings
        WHERE hut_id = :hut AND session_date = :d AND session_part = :part
    )
    ON CONFLICT (hut_id, session_date, session_part) DO UPDATE
        SET hirer_id = EXCLUDED.hirer_id, expires_at = EXCLUDED.expires_at
        WHERE hut_holds.expires_at < now()
    RETURNING id, expires_at
    """
)


class SlotTaken(Exception):
    pass


def place_hold(hut_id: int, hirer_id: int, session_date, session_part: str) -> dict:
    with engine.begin() as conn:
        row = conn.execute(
            PLACE_HOLD_SQL,
            {
                "hut": hut_id,
                "d": session_date,
                "part": session_part,
                "hirer": hirer_id,
                "ttl": HOLD_TTL,
            },
        ).first()
    if row is None:
        raise SlotTaken(f"hut {hut_id} {session_date} {session_part}")
    return {"hold_id": row.id, "expires_at": row.expires_at.isoformat()}


@shared_task(name="hire.purge_expired_holds")
def purge_expired_holds(batch_size: int = 5000) -> int:
    """Delete expired holds in small batches to keep lock times short."""
    total = 0
    while True:
        with engine.begin() as conn:
            deleted = conn.execute(
                text(
                    "DELETE FROM hut_holds WHERE id IN ("
                    "  SELECT id FROM hut_holds WHERE expires_at < now() - interval '5 minutes' "
                    "  ORDER BY id LIMIT :n FOR UPDATE SKIP LOCKED)"
                ),
                {"n": batch_size},
            ).rowcount
        total += deleted
        if deleted < batch_size:
            break
    log.info("purged %d expired hut holds", total)
    return total


celery_app.conf.beat_schedule = {
    **getattr(celery_app.conf, "beat_schedule", {}),
    "purge-expired-hut-holds": {
        "task": "hire.purge_expired_holds",
        "schedule": crontab(minute="*/10"),
    },
}
