# filmsoc/programme.py
#
# The public "This season" page: every screening in the current season with the
# members' average rating of previous films by the same director. Identical for
# every visitor, so there is exactly one cache entry per season.

import json
import logging

import redis
from django.conf import settings
from django.db.models import Avg, Count
from django.http import JsonResponse
from django.views.decorators.http import require_GET
from redis.exceptions import LockError

from filmsoc.models import Rsvp, Screening, Season

log = logging.getLogger(__name__)

r = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)

PROGRAMME_TTL = 60 * 30


def _build_programme(season: Season) -> list[dict]:
    screenings = list(
        Screening.objects.filter(season=season)
        .select_related("film", "film__director")
        .order_by("starts_at")[:60]
    )
    director_ids = {s.film.director_id for s in screenings}
    ratings = {
        row["screening__film__director_id"]: row
        for row in Rsvp.objects.filter(
            screening__film__director_id__in=director_ids, rating__isnull=False
        )
        .values("screening__film__director_id")
        .annotate(avg=Avg("rating"), n=Count("id"))
    }
    return [
        {
            "id": s.pk,
            "title": s.film.title,
            "director": s.film.director.name,
            "starts_at": s.starts_at.isoformat(),
            "director_rating": round(ratings.get(s.film.director_id, {}).get("avg") or 0, 1),
        }
        for s in screenings
    ]


def get_programme(season: Season) -> list[dict]:
    key = f"filmsoc:programme:{season.pk}"
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)

    # Single-flight: one process rebuilds, the rest wait on the lock and then
    # read what it wrote.
    try:
        with r.lock(f"{key}:lock", timeout=60, blocking_timeout=20):
            cached = r.get(key)
            if cached is not None:
                return json.loads(cached)
            programme = _build_programme(season)
            r.set(key, json.dumps(programme), ex=PROGRAMME_TTL)
            return programme
    except LockError:
        log.exception("timed out waiting to rebuild programme for season %s", season.pk)
        raise


@require_GET
def season_programme(request):
    season = Season.objects.current()
    return JsonResponse({"season": season.name, "screenings": get_programme(season)})
