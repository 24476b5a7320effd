# nets/views.py (dashboard part) — village cricket club nets booking
# Cache backend is the shared Redis configured in settings.CACHES["default"].

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncWeek
from django.shortcuts import render
from django.utils import timezone

from .models import Lane, NetsBooking

UTILISATION_TTL = 15 * 60


def _lane_utilisation(since):
    """Booked hours per lane per week for the club noticeboard chart."""
    qs = (
        NetsBooking.objects.filter(starts_at__gte=since, cancelled=False)
        .annotate(week=TruncWeek("starts_at"))
        .values("week", "lane__name")
        .annotate(hours=Sum(F("duration_minutes")) / 60.0)
        .order_by("week", "lane__name")
    )
    return list(qs)


@login_required
def nets_dashboard(request):
    since = timezone.now() - timedelta(weeks=8)
    key = f"nets:utilisation:{request.user.pk}"
    data = cache.get(key)
    if data is None:
        data = {
            "weeks": _lane_utilisation(since),
            "lanes": list(Lane.objects.filter(active=True).values_list("name", flat=True)),
        }
        cache.set(key, data, UTILISATION_TTL)

    my_next = (
        NetsBooking.objects.filter(member=request.user, starts_at__gte=timezone.now(), cancelled=False)
        .select_related("lane")
        .order_by("starts_at")[:5]
    )
    return render(
        request,
        "nets/dashboard.html",
        {"utilisation": data, "my_next": my_next},
    )


@login_required
def season_leaderboard(request):
    """Who has spent the most time in the nets, all seasons on record."""
    leaders = (
        NetsBooking.objects.filter(cancelled=False)
        .values("member__first_name", "member__last_name")
        .annotate(sessions=Count("id"), minutes=Sum("duration_minutes"), lanes=Count("lane", distinct=True))
        .order_by("-minutes")[:25]
    )
    return render(request, "nets/leaderboard.html", {"leaders": leaders})
