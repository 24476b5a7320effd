# trials/entries.py
# Online entries for sheepdog trials. A handler picks a trial and gets a run
# slot held for 15 minutes while they pay the entry fee; unpaid holds lapse and
# the beat task below clears them out of the table.
import threading
from datetime import timedelta
from functools import lru_cache

from cachetools import TTLCache, cached
from celery import shared_task
from django.db import connection, transaction
from django.utils import timezone

from trials.models import CourseMap, RunSlotHold, Trial

HOLD_MINUTES = 15
PURGE_BATCH = 5000

# course maps change at most once a day; keep a small, bounded, time-limited copy
_course_maps = TTLCache(maxsize=256, ttl=600)


@cached(_course_maps, lock=threading.Lock())
def course_map(trial_id: int) -> dict:
    m = CourseMap.objects.get(trial_id=trial_id)
    return {"outrun_m": m.outrun_m, "drive_legs": m.drive_legs, "shed": m.has_shed}


@lru_cache(maxsize=64)
def class_rules(course: str) -> dict:
    # static per class; only a handful of distinct values
    return {
        "open": {"max_time_s": 900, "points": 110},
        "nursery": {"max_time_s": 600, "points": 90},
    }.get(course, {"max_time_s": 600, "points": 90})


class TrialFull(Exception):
    pass


def hold_run_slot(trial_id: int, handler_id: int, dog_id: int) -> RunSlotHold:
    now = timezone.now()
    with transaction.atomic():
        # lock the trial row so two handlers can't take the last slot together
        trial = Trial.objects.select_for_update().get(pk=trial_id)
        used = trial.entries.count() + RunSlotHold.objects.filter(
            trial=trial, expires_at__gt=now
        ).count()
        if used >= trial.max_runs:
            raise TrialFull(trial_id)
        return RunSlotHold.objects.create(
            trial=trial,
            handler_id=handler_id,
            dog_id=dog_id,
            expires_at=now + timedelta(minutes=HOLD_MINUTES),
        )


@shared_task(ignore_result=True)
def purge_lapsed_holds() -> int:
    """Scheduled every 30 minutes from CELERY_BEAT_SCHEDULE; deletes in batches."""
    total = 0
    while True:
        with connection.cursor() as cur:
            cur.execute(
                """
                DELETE FROM trials_runslothold
                WHERE id IN (
                    SELECT id FROM trials_runslothold
                    WHERE expires_at < now() - interval '1 hour'
                    LIMIT %s
                )
                """,
                [PURGE_BATCH],
            )
            deleted = cur.rowcount
        total += deleted
        if deleted < PURGE_BATCH:
            return total
