"""Community fridge: reservations and the jobs that keep the table tidy.

Volunteers can reserve an item on the fridge tablet ("hold the lasagne for
Mrs P, collecting at 5") for up to two hours. Reservations that lapse are purged
by Celery beat; the volunteer rota page shows today's active reservations.
"""
import logging
from datetime import timedelta

from celery import shared_task
from django.db import connection, transaction
from django.utils import timezone

log = logging.getLogger(__name__)

RESERVATION_TTL = timedelta(hours=2)
PURGE_BATCH = 1000

# celery beat schedule (settings.CELERY_BEAT_SCHEDULE):
#   "purge-expired-fridge-reservations": {
#       "task": "fridge.jobs.purge_expired_reservations",
#       "schedule": crontab(minute="*/15"),
#   }


def reserve_item(item_id: int, volunteer_id: int, note: str) -> int | None:
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cur:
        # Lock the item first so two tablets reserving the same lasagne queue up;
        # the second one then sees the live hold and gets nothing back.
        cur.execute("SELECT id FROM fridge_items WHERE id = %s AND taken_at IS NULL FOR UPDATE", [item_id])
        if cur.fetchone() is None:
            return None
        cur.execute(
            """
            INSERT INTO item_reservations (item_id, volunteer_id, note, created_at, expires_at)
            SELECT %s, %s, %s, %s, %s
            WHERE NOT EXISTS (
                SELECT 1 FROM item_reservations WHERE item_id = %s AND expires_at > %s
            )
            RETURNING id
            """,
            [item_id, volunteer_id, note, now, now + RESERVATION_TTL, item_id, now],
        )
        row = cur.fetchone()
    return row[0] if row else None


def todays_reservations(fridge_id: int, limit: int = 100) -> list[dict]:
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT r.id, r.item_id, r.volunteer_id, r.note, r.expires_at
            FROM item_reservations r JOIN fridge_items i ON i.id = r.item_id
            WHERE i.fridge_id = %s AND r.expires_at > now()
            ORDER BY r.expires_at
            LIMIT %s
            """,
            [fridge_id, limit],
        )
        rows = cur.fetchall()

        volunteer_ids = list({r[2] for r in rows})
        names = {}
        if volunteer_ids:
            cur.execute(
                "SELECT id, first_name FROM volunteers WHERE id = ANY(%s)", [volunteer_ids]
            )
            names = dict(cur.fetchall())

    return [
        {"id": r[0], "item_id": r[1], "volunteer": names.get(r[2], "?"), "note": r[3],
         "expires_at": r[4].isoformat()}
        for r in rows
    ]


@shared_task
def purge_expired_reservations() -> int:
    total = 0
    while True:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                """
                DELETE FROM item_reservations
                WHERE id IN (
                    SELECT id FROM item_reservations
                    WHERE expires_at < now() - interval '1 day'
                    ORDER BY id
                    LIMIT %s
                )
                """,
                [PURGE_BATCH],
            )
            deleted = cur.rowcount
        total += deleted
        if deleted < PURGE_BATCH:
            break
    log.info("purged %d expired fridge reservations", total)
    return total
