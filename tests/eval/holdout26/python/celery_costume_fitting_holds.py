"""Costume holds for theatre companies, with the periodic clean-up.

When a wardrobe assistant puts a costume aside for a company's fitting, we
create a hold that lapses after 48 hours unless the hire is confirmed. Holds
are rows in costume_holds (UNIQUE (costume_id)); a beat task purges lapsed
ones so the table stays small and the costume shows as free again.
"""
import logging
import os
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab
from sqlalchemy import text

from wardrobe.db import engine

log = logging.getLogger(__name__)

app = Celery("wardrobe", broker=os.environ["CELERY_BROKER_URL"])
app.conf.beat_schedule = {
    "purge-lapsed-costume-holds": {
        "task": "wardrobe.holds.purge_lapsed_holds",
        "schedule": crontab(minute="*/10"),
    },
}

HOLD_FOR = timedelta(hours=48)
PURGE_BATCH = 2000


class CostumeUnavailable(Exception):
    pass


def place_hold(costume_id: int, company_id: int, placed_by: int) -> int:
    """Hold a costume for a company's fitting; a lapsed hold can be taken over."""
    with engine.begin() as conn:
        row = conn.execute(
            text(
                "INSERT INTO costume_holds (costume_id, company_id, placed_by, expires_at) "
                "VALUES (:c, :co, :by, now() + :ttl) "
                "ON CONFLICT (costume_id) DO UPDATE "
                "SET company_id = EXCLUDED.company_id, placed_by = EXCLUDED.placed_by, "
                "    expires_at = EXCLUDED.expires_at "
                "WHERE costume_holds.expires_at < now() "
                "RETURNING id"
            ),
            {"c": costume_id, "co": company_id, "by": placed_by, "ttl": HOLD_FOR},
        ).first()
    if row is None:
        raise CostumeUnavailable(f"costume {costume_id} is already held")
    return row.id


def confirm_hold(hold_id: int, company_id: int) -> None:
    """Turns a live hold into a hire; the hold row is removed in the same transaction."""
    with engine.begin() as conn:
        hold = conn.execute(
            text(
                "DELETE FROM costume_holds WHERE id = :id AND company_id = :co AND expires_at > now() "
                "RETURNING costume_id"
            ),
            {"id": hold_id, "co": company_id},
        ).first()
        if hold is None:
            raise CostumeUnavailable("hold has lapsed")
        conn.execute(
            text("INSERT INTO hires (costume_id, company_id, status) VALUES (:c, :co, 'confirmed')"),
            {"c": hold.costume_id, "co": company_id},
        )


@app.task(name="wardrobe.holds.purge_lapsed_holds")
def purge_lapsed_holds() -> int:
    total = 0
    while True:
        with engine.begin() as conn:
            deleted = conn.execute(
                text(
                    "DELETE FROM costume_holds WHERE id IN ("
                    "  SELECT id FROM costume_holds WHERE expires_at < now() "
                    "  ORDER BY expires_at LIMIT :batch FOR UPDATE SKIP LOCKED)"
                ),
                {"batch": PURGE_BATCH},
            ).rowcount
        total += deleted
        if deleted < PURGE_BATCH:
            break
    log.info("purged %d lapsed costume holds", total)
    return total
