# concerts/services.py — seating plan + programme for the concert page
# CACHES["default"] is django-redis, shared by all web workers.

import logging
import time

from django.core.cache import cache
from django.db.models import Count, Q

from .models import Concert, SeatSection

log = logging.getLogger(__name__)

PLAN_TTL = 300          # seconds
LOCK_TTL = 30           # longer than the slowest rebuild we've seen
WAIT_STEP = 0.1
MAX_WAIT = 3.0


def _build_plan(concert_id: int) -> dict:
    concert = Concert.objects.select_related("venue").get(pk=concert_id)
    sections = (
        SeatSection.objects.filter(concert_id=concert_id)
        .annotate(
            seats=Count("seats"),
            free=Count("seats", filter=Q(seats__reserved_by__isnull=True)),
        )
        .order_by("display_order")
    )
    return {
        "title": concert.title,
        "venue": concert.venue.name,
        "programme": concert.programme_items,  # e.g. ["Fauré Requiem", "Parry: I was glad"]
        "sections": [
            {"name": s.name, "voice_part_view": s.view_note, "seats": s.seats, "free": s.free}
            for s in sections
        ],
    }


def seating_plan(concert_id: int) -> dict:
    """Same plan for every visitor, so it is cached once per concert.

    Only one worker rebuilds after expiry; the others wait briefly for it,
    then fall back to building it themselves if the lock holder died.
    """
    key = f"concert:{concert_id}:plan:v3"
    plan = cache.get(key)
    if plan is not None:
        return plan

    lock_key = f"{key}:rebuild"
    if cache.add(lock_key, "1", LOCK_TTL):  # SET NX EX under django-redis
        try:
            plan = _build_plan(concert_id)
            cache.set(key, plan, PLAN_TTL)
            return plan
        finally:
            cache.delete(lock_key)

    waited = 0.0
    while waited < MAX_WAIT:
        time.sleep(WAIT_STEP)
        waited += WAIT_STEP
        plan = cache.get(key)
        if plan is not None:
            return plan

    log.warning("seating plan lock for concert %s held too long; building directly", concert_id)
    return _build_plan(concert_id)


def invalidate_plan(concert_id: int) -> None:
    """Called from the reservation view after a seat changes hands."""
    cache.delete(f"concert:{concert_id}:plan:v3")
