"""Society-wide exhibit statistics for the bonsai show homepage.

The numbers are identical for every visitor, so they are cached once under a
global key. Recomputation is guarded by a short Redis lock so that when the
entry expires only one worker rebuilds it; the others serve the stale copy.
"""
import json
import time
from functools import lru_cache

import redis
from django.db.models import Count, Avg
from django.http import JsonResponse

from exhibits.models import Exhibit, Species

r = redis.Redis.from_url("redis://cache:6379/2", socket_timeout=2,
                         socket_connect_timeout=1)

STATS_KEY = "bonsai:show-stats:v3"
STALE_KEY = "bonsai:show-stats:v3:stale"
LOCK_KEY = "bonsai:show-stats:v3:lock"
TTL_SECONDS = 300


def _compute_stats():
    by_style = (
        Exhibit.objects.filter(season__is_current=True)
        .values("style")
        .annotate(n=Count("id"), avg_age=Avg("estimated_age_years"))
        .order_by("-n")[:20]
    )
    return {
        "generated_at": time.time(),
        "by_style": list(by_style),
        "total": Exhibit.objects.filter(season__is_current=True).count(),
    }


def get_show_stats():
    cached = r.get(STATS_KEY)
    if cached:
        return json.loads(cached)

    # Only the worker that wins the lock recomputes.
    if r.set(LOCK_KEY, "1", nx=True, ex=30):
        try:
            stats = _compute_stats()
            payload = json.dumps(stats, default=str)
            r.set(STATS_KEY, payload, ex=TTL_SECONDS)
            r.set(STALE_KEY, payload, ex=TTL_SECONDS * 12)
            return stats
        finally:
            r.delete(LOCK_KEY)

    stale = r.get(STALE_KEY)
    if stale:
        return json.loads(stale)
    return {"generated_at": None, "by_style": [], "total": None}


@lru_cache(maxsize=256)
def species_display_name(latin_name: str) -> str:
    """Latin name -> common name; the species table changes once a year."""
    sp = Species.objects.filter(latin_name=latin_name).only("common_name").first()
    return sp.common_name if sp else latin_name


def show_stats_view(request):
    stats = get_show_stats()
    for row in stats["by_style"]:
        row["label"] = row["style"].replace("_", " ").title()
    return JsonResponse(stats)
