# filmsoc/views/dashboard.py
#
# Members' dashboard for the film society: upcoming screenings, the season's
# attendance summary and the committee's "society in numbers" page.

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Avg, Count, F
from django.shortcuts import render
from django.utils import timezone

from filmsoc.models import Rsvp, Screening, Season

SUMMARY_TTL = 60 * 15


def _season_summary(season):
    """Attendance figures for the current season (same numbers for every member)."""
    screenings = Screening.objects.filter(season=season)
    return {
        "screenings": screenings.count(),
        "total_rsvps": Rsvp.objects.filter(screening__season=season, status="going").count(),
        "sold_out": screenings.filter(seats_taken__gte=F("capacity")).count(),
    }


@login_required
def member_dashboard(request):
    season = Season.objects.current()

    summary_key = f"filmsoc:season-summary:{season.pk}:{request.user.pk}"
    summary = cache.get(summary_key)
    if summary is None:
        summary = _season_summary(season)
        cache.set(summary_key, summary, SUMMARY_TTL)

    upcoming = list(
        Screening.objects.filter(starts_at__gte=timezone.now())
        .select_related("film")
        .order_by("starts_at")[:10]
    )
    cards = []
    for screening in upcoming:
        going = Rsvp.objects.filter(screening=screening, status="going").count()
        cards.append(
            {
                "id": screening.pk,
                "title": screening.film.title,
                "starts_at": screening.starts_at,
                "seats_left": max(screening.capacity - going, 0),
            }
        )

    return render(
        request,
        "filmsoc/dashboard.html",
        {"summary": summary, "cards": cards, "season": season},
    )


@login_required
def society_in_numbers(request):
    """Linked from the footer of every page; the committee likes to show it off."""
    # Every attended RSVP since the society's founding, grouped by decade.
    decades = Rsvp.objects.filter(status="attended").values("screening__film__release_decade").annotate(
        screenings=Count("screening", distinct=True),
        films=Count("screening__film", distinct=True),
        attendance=Count("id"),
        avg_rating=Avg("rating"),
    ).order_by("screening__film__release_decade")
    return render(request, "filmsoc/numbers.html", {"decades": list(decades)})
