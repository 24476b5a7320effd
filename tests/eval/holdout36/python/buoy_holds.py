"""Short holds on vacant harbour mooring buoys.

When someone starts the online lease application for a vacant buoy, the buoy
is held for them for 20 minutes so nobody else can apply for it meanwhile.
Holds are rows with an expiry; a beat task clears out the old ones.
"""
import logging
from datetime import timedelta

from celery import shared_task
from celery.schedules import crontab
from sqlalchemy import text

from harbour.celery_app import app as celery_app
from harbour.db import engine

log = logging.getLogger(__name__)

HOLD_FOR = timedelta(minutes=20)
PURGE_BATCH = 5000


def hold_buoy(buoy_id: int, applicant_id: int) -> bool:
    """True if the applicant now holds the buoy (new hold, their own hold, or a lapsed one taken over)."""
    with engine.begin() as conn:
        row = conn.execute(
            text(
                "INSERT INTO buoy_holds (buoy_id, applicant_id, expires_at) "
                "VALUES (:buoy, :applicant, now() + :hold_for) "
                "ON CONFLICT (buoy_id) DO UPDATE "
                "SET applicant_id = EXCLUDED.applicant_id, expires_at = EXCLUDED.expires_at "
                "WHERE buoy_holds.expires_at < now() OR buoy_holds.applicant_id = EXCLUDED.applicant_id "
                "RETURNING buoy_id"
            ),
            {"buoy": buoy_id, "applicant": applicant_id, "hold_for": HOLD_FOR},
        ).first()
    return row is not None


def release_hold(buoy_id: int, applicant_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            text("DELETE FROM buoy_holds WHERE buoy_id = :buoy AND applicant_id = :applicant"),
            {"buoy": buoy_id, "applicant": applicant_id},
        )


@shared_task
def purge_expired_buoy_holds() -> int:
    """Delete lapsed holds in batches so the table stays small and vacuum keeps up."""
    total = 0
    while True:
        with engine.begin() as conn:
            deleted = conn.execute(
                text(
                    "DELETE FROM buoy_holds WHERE buoy_id IN ("
                    "  SELECT buoy_id FROM buoy_holds WHERE expires_at < now() - interval '1 hour' "
                    "  ORDER BY expires_at LIMIT :batch FOR UPDATE SKIP LOCKED)"
                ),
                {"batch": PURGE_BATCH},
            ).rowcount
        total += deleted
        if deleted < PURGE_BATCH:
            break
    if total:
        log.info("purged %d expired buoy holds", total)
    return total


@celery_app.on_after_configure.connect
def schedule_purge(sender, **kwargs):
    sender.add_periodic_task(
        crontab(minute="*/15"),
        purge_expired_buoy_holds.s(),
        name="purge expired buoy holds",
    )
