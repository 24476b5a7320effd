# tours/views.py -- Dunsford Mill Trust, guided tour admin pages
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Sum
from django.shortcuts import get_object_or_404, render

from .models import Booking, Guide, Tour

DASHBOARD_TTL = 60 * 10


def _season_start() -> date:
    today = date.today()
    return date(today.year, 3, 1)


@login_required
def guide_dashboard(request):
    """Landing page for volunteer guides: season figures for the whole mill."""
    cache_key = f"mill-dashboard:{request.user.pk}"
    data = cache.get(cache_key)
    if data is None:
        season_tours = Tour.objects.filter(starts_at__date__gte=_season_start())
        data = {
            "tours_run": season_tours.filter(status="completed").count(),
            "visitors": Booking.objects.filter(tour__in=season_tours).aggregate(
                total=Sum("party_size")
            )["total"] or 0,
            "school_groups": season_tours.filter(kind="school").count(),
            "wheel_days": season_tours.filter(waterwheel_running=True)
            .values("starts_at__date")
            .distinct()
            .count(),
        }
        cache.set(cache_key, data, DASHBOARD_TTL)

    upcoming = (
        Tour.objects.filter(guide__user=request.user, starts_at__date__gte=date.today())
        .order_by("starts_at")[:5]
    )
    return render(request, "tours/dashboard.html", {"stats": data, "upcoming": upcoming})


def guide_leaderboard(request):
    """Public 'meet our guides' page linked from the mill's home page."""
    guides = (
        Guide.objects.annotate(
            tours_led=Count("tours", distinct=True),
            visitors_guided=Sum("tours__bookings__party_size"),
            avg_rating=Avg("tours__feedback__rating"),
        )
        .filter(active=True)
        .order_by("-visitors_guided")[:12]
    )
    return render(request, "tours/leaderboard.html", {"guides": guides})


@login_required
def tour_bookings(request, tour_id: int):
    tour = get_object_or_404(Tour, pk=tour_id)
    bookings = tour.bookings.select_related("contact").order_by("created_at")
    page = Paginator(bookings, 25).get_page(request.GET.get("page"))
    return render(request, "tours/bookings.html", {"tour": tour, "page": page})
