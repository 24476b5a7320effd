import json
from datetime import date, datetime, time, timedelta

import redis
from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from greens.models import Booking, Club, Rink

# One shared pool per process; the URL comes from REDIS_URL in settings.
r = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)

SESSION_STARTS = [time(10, 0), time(14, 0), time(18, 30)]
AVAILABILITY_TTL = 120  # seconds; members book a fortnight ahead, so 2 min staleness is fine
DAYS_AHEAD = 14


def _compute_availability(club: Club) -> dict:
    """Free rink count per session for the next fortnight."""
    today = date.today()
    grid: dict[str, dict[str, int]] = {}

    rinks = list(Rink.objects.filter(club=club, in_play=True).order_by("number"))
    for offset in range(DAYS_AHEAD):
        day = today + timedelta(days=offset)
        day_grid = grid.setdefault(day.isoformat(), {})
        for rink in rinks:
            booked = set(
                Booking.objects.filter(rink=rink, session_date=day).values_list("session_start", flat=True)
            )
            for start in SESSION_STARTS:
                label = start.strftime("%H:%M")
                day_grid[label] = day_grid.get(label, 0) + (start not in booked)
    return grid


@require_GET
def green_availability(request, club_slug):
    """Calendar grid on the club's public "Book a rink" page (busy on league-draw evenings)."""
    club = Club.objects.only("id", "slug", "name").get(slug=club_slug)
    cache_key = f"bowls:availability:{club.id}"

    cached = r.get(cache_key)
    if cached is not None:
        grid = json.loads(cached)
    else:
        grid = _compute_availability(club)
        r.setex(cache_key, AVAILABILITY_TTL, json.dumps(grid))

    return JsonResponse({
        "club": club.name,
        "generated_at": datetime.now().isoformat(timespec="seconds"),
        "days": grid,
    })
