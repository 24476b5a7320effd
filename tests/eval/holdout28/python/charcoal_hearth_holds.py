"""Hearth holds for the coppice cooperative's charcoal burn sites.

A burner holds a hearth (a cleared burn site with a ring kiln) for a date while
they arrange wood haulage; unconfirmed holds lapse after 48 hours. A periodic
Celery beat task removes lapsed holds so the table stays small.
"""
import logging
import os
from datetime import date

from celery import Celery
from celery.schedules import crontab
from sqlalchemy import create_engine, text

log = logging.getLogger("hearths")

engine = create_engine(
    os.environ["DATABASE_URL"],
    pool_size=5,
    pool_pre_ping=True,
    connect_args={"options": "-c statement_timeout=15000"},
)
celery_app = Celery("hearths", broker=os.environ["CELERY_BROKER_URL"])

HOLD_HOURS = 48
CLEANUP_BATCH = 5000


class HearthTaken(Exception):
    pass


def hold_hearth(hearth_id: int, burner_id: int, burn_date: date) -> int:
    """Take a hold, or replace one that has already lapsed. unique (hearth_id, burn_date)
    makes the insert the arbiter when two burners ask at once."""
    with engine.begin() as conn:
        hold_id = conn.execute(
            text(
                "INSERT INTO hearth_holds (hearth_id, burn_date, burner_id, expires_at) "
                "VALUES (:h, :d, :b, now() + make_interval(hours => :hrs)) "
                "ON CONFLICT (hearth_id, burn_date) DO UPDATE "
                "SET burner_id = EXCLUDED.burner_id, expires_at = EXCLUDED.expires_at, confirmed = false "
                "WHERE hearth_holds.expires_at < now() AND NOT hearth_holds.confirmed "
                "RETURNING id"
            ),
            {"h": hearth_id, "d": burn_date, "b": burner_id, "hrs": HOLD_HOURS},
        ).scalar()
    if hold_id is None:
        raise HearthTaken(f"hearth {hearth_id} is held for {burn_date}")
    return hold_id


def confirm_hold(hold_id: int, burner_id: int) -> bool:
    with engine.begin() as conn:
        updated = conn.execute(
            text(
                "UPDATE hearth_holds SET confirmed = true, expires_at = NULL "
                "WHERE id = :id AND burner_id = :b AND expires_at > now()"
            ),
            {"id": hold_id, "b": burner_id},
        ).rowcount
    return updated == 1


@celery_app.task(name="hearths.purge_lapsed_holds")
def purge_lapsed_holds() -> int:
    total = 0
    try:
        while True:
            with engine.begin() as conn:
                deleted = conn.execute(
                    text(
                        "DELETE FROM hearth_holds WHERE id IN ("
                        "  SELECT id FROM hearth_holds "
                        "  WHERE NOT confirmed AND expires_at < now() - interval '1 hour' "
                        "  LIMIT :n FOR UPDATE SKIP LOCKED)"
                    ),
                    {"n": CLEANUP_BATCH},
                ).rowcount
            total += deleted
            if deleted < CLEANUP_BATCH:
                break
    except Exception:
        log.exception("purging lapsed hearth holds failed after %d rows", total)
        raise
    log.info("purged %d lapsed hearth holds", total)
    return total


celery_app.conf.beat_schedule = {
    "purge-lapsed-hearth-holds": {
        "task": "hearths.purge_lapsed_holds",
        "schedule": crontab(minute="*/30"),
    },
}
