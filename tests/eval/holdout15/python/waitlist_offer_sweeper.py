# waitlist/jobs.py -- Celery beat jobs for the kindergarten seat-offer workflow
#
# beat_schedule = {
#     "expire-offers":   {"task": "waitlist.jobs.expire_offers",   "schedule": crontab(minute="*/10")},
#     "purge-offers":    {"task": "waitlist.jobs.purge_old_offers", "schedule": crontab(hour=3, minute=15)},
# }
import logging

from celery import shared_task
from sqlalchemy import text

from waitlist.db import engine
from waitlist.notify import send_offer_email

log = logging.getLogger(__name__)


@shared_task
def expire_offers():
    """Flip lapsed offers to 'expired' and put the family back in the queue."""
    with engine.begin() as conn:
        rows = conn.execute(text("""
            WITH lapsed AS (
                UPDATE seat_offers SET status = 'expired'
                WHERE status = 'pending' AND expires_at <= now()
                RETURNING application_id, classroom_id
            )
            UPDATE applications a SET status = 'waiting', lapsed_offers = lapsed_offers + 1
            FROM lapsed WHERE a.id = lapsed.application_id
            RETURNING lapsed.classroom_id
        """)).scalars().all()
    for classroom_id in set(rows):
        offer_open_seats.delay(classroom_id)


@shared_task
def offer_open_seats(classroom_id: int):
    """Offer every free seat in a classroom, one transaction, classroom row locked."""
    offers = []
    with engine.begin() as conn:
        cap = conn.execute(
            text("SELECT capacity FROM classrooms WHERE id = :cid FOR UPDATE"), {"cid": classroom_id}
        ).scalar_one()
        taken = conn.execute(text("""
            SELECT (SELECT count(*) FROM enrollments WHERE classroom_id = :cid AND withdrawn_at IS NULL)
                 + (SELECT count(*) FROM seat_offers WHERE classroom_id = :cid AND status = 'pending')
        """), {"cid": classroom_id}).scalar_one()
        free = cap - taken
        if free <= 0:
            return 0
        offers = conn.execute(text("""
            WITH picked AS (
                SELECT id FROM applications
                WHERE classroom_id = :cid AND status = 'waiting'
                ORDER BY sibling_priority DESC, submitted_at
                LIMIT :n
                FOR UPDATE SKIP LOCKED
            ), upd AS (
                UPDATE applications a SET status = 'offered' FROM picked WHERE a.id = picked.id
                RETURNING a.id, a.guardian_email
            )
            INSERT INTO seat_offers (classroom_id, application_id, status, offered_at, expires_at)
            SELECT :cid, upd.id, 'pending', now(), now() + interval '72 hours' FROM upd
            RETURNING id, application_id
        """), {"cid": classroom_id, "n": free}).mappings().all()
    for o in offers:
        send_offer_email.delay(o["id"])
    log.info("classroom %s: %d offers made", classroom_id, len(offers))
    return len(offers)


@shared_task
def purge_old_offers():
    """Offers are only needed for 90 days of audit history."""
    with engine.begin() as conn:
        n = conn.execute(text("""
            DELETE FROM seat_offers
            WHERE status IN ('expired', 'declined', 'accepted')
              AND offered_at < now() - interval '90 days'
        """)).rowcount
    log.info("purged %d old seat offers", n)
