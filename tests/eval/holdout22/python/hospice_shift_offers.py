# rota/offers.py
#
# When a night shift is short, the coordinator offers it to a volunteer by text.
# The offer holds the place for two hours; the volunteer accepts from the link.
# shift_offers has UNIQUE (shift_id, volunteer_id) and an index on expires_at.

OFFER_HOLD = timedelta(hours=2)
PURGE_BATCH = 1000


def make_offer(shift_id: int, volunteer_id: int) -> bool:
    """Create (or refresh) an offer; returns False if the shift is already full."""
    expires_at = timezone.now() + OFFER_HOLD
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO shift_offers (shift_id, volunteer_id, expires_at)
            SELECT s.id, %s, %s
              FROM shifts s
             WHERE s.id = %s AND s.volunteers_signed < s.volunteers_needed
            ON CONFLICT (shift_id, volunteer_id)
            DO UPDATE SET expires_at = EXCLUDED.expires_at
            RETURNING id
            """,
            [volunteer_id, expires_at, shift_id],
        )
        return cur.fetchone() is not None


def accept_offer(offer_id: int, volunteer_id: int) -> bool:
    """Turn a live offer into a sign-up; the conditional UPDATE guards capacity."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "DELETE FROM shift_offers WHERE id = %s AND volunteer_id = %s AND expires_at > now() "
            "RETURNING shift_id",
            [offer_id, volunteer_id],
        )
        row = cur.fetchone()
        if row is None:
            return False
        shift_id = row[0]
        cur.execute(
            "UPDATE shifts SET volunteers_signed = volunteers_signed + 1 "
            "WHERE id = %s AND volunteers_signed < volunteers_needed",
            [shift_id],
        )
        if cur.rowcount != 1:
            transaction.set_rollback(True)
            return False
        cur.execute(
            "INSERT INTO shift_signups (shift_id, volunteer_id, signed_at) VALUES (%s, %s, now()) "
            "ON CONFLICT (shift_id, volunteer_id) DO NOTHING",
            [shift_id, volunteer_id],
        )
    return True


@shared_task(ignore_result=True)
def purge_expired_offers() -> int:
    """Celery beat runs this every 15 minutes (see CELERY_BEAT_SCHEDULE)."""
    total = 0
    while True:
        with connection.cursor() as cur:
            cur.execute(
                """
                DELETE FROM shift_offers
                 WHERE id IN (
                    SELECT id FROM shift_offers
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
    log.info("purged %d expired shift offers", total)
    return total
