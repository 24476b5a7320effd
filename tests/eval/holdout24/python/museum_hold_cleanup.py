"""Celery tasks for the loans office: object holds and their housekeeping.

A hold pencils an object in for a borrowing institution for 72 hours while
the facility report is reviewed. There is at most one live hold per object
(unique index on object_holds.object_id); an expired hold may be replaced.
Expired holds are purged every 15 minutes by the beat schedule below.
"""
import logging

from celery import Celery
from celery.schedules import crontab
from sqlalchemy import create_engine, text

from loans.settings import settings

log = logging.getLogger(__name__)

app = Celery("loans", broker=settings.broker_url)
engine = create_engine(
    settings.database_url,
    pool_size=5,
    pool_pre_ping=True,
    connect_args={"connect_timeout": 5, "options": "-c statement_timeout=30000"},
)

PURGE_BATCH = 5000

app.conf.beat_schedule = {
    "purge-expired-object-holds": {
        "task": "loans.tasks.purge_expired_holds",
        "schedule": crontab(minute="*/15"),
    },
}

PLACE_HOLD_SQL = text("""
    INSERT INTO object_holds (object_id, borrower_id, curator_id, expires_at)
    VALUES (:object_id, :borrower_id, :curator_id, now() + interval '72 hours')
    ON CONFLICT (object_id) DO UPDATE
        SET borrower_id = EXCLUDED.borrower_id,
            curator_id  = EXCLUDED.curator_id,
            expires_at  = EXCLUDED.expires_at,
            created_at  = now()
        WHERE object_holds.expires_at < now()
    RETURNING id
""")

PURGE_SQL = text("""
    DELETE FROM object_holds
     WHERE id IN (
         SELECT id FROM object_holds
          WHERE expires_at < now() - interval '1 hour'
          ORDER BY expires_at
          LIMIT :batch
     )
""")


@app.task(name="loans.tasks.place_hold", acks_late=True)
def place_hold(object_id: int, borrower_id: int, curator_id: int) -> int | None:
    """Returns the hold id, or None if another borrower's hold is still live."""
    with engine.begin() as conn:
        return conn.execute(
            PLACE_HOLD_SQL,
            {"object_id": object_id, "borrower_id": borrower_id, "curator_id": curator_id},
        ).scalar_one_or_none()


@app.task(name="loans.tasks.purge_expired_holds")
def purge_expired_holds() -> int:
    total = 0
    while True:
        with engine.begin() as conn:
            deleted = conn.execute(PURGE_SQL, {"batch": PURGE_BATCH}).rowcount
        total += deleted
        if deleted < PURGE_BATCH:
            break
    log.info("purged %d expired object holds", total)
    return total
