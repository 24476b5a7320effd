from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.shortcuts import render
from django.utils import timezone

from .models import Fixture, Side


def _current_season_year() -> int:
    today = timezone.localdate()
    # Dancing season runs May Day to Plough Monday, so January belongs to last year.
    return today.year if today.month >= 5 else today.year - 1


@login_required
def season_dashboard(request):
    """Landing page for the morris federation's fixture secretary and side squires."""
    side = Side.objects.get(pk=request.user.squire_profile.side_id)

    upcoming = (
        Fixture.objects.filter(sides=side, starts_at__gte=timezone.now())
        .select_related("venue")
        .order_by("starts_at")[:10]
    )

    with connection.cursor() as cur:
        cur.execute("""SELECT s.id, s.name, s.tradition, COUNT(DISTINCT f.id) AS fixtures, COUNT(p.id) AS dances,
                   SUM(p.duration_seconds) AS seconds_danced,
                   AVG(p.crowd_rating) AS avg_rating,
                   COUNT(DISTINCT f.venue_id) AS venues,
                   COUNT(DISTINCT date_trunc('year', f.starts_at)) AS seasons_out
            FROM sides s
            JOIN fixture_sides fs ON fs.side_id = s.id
            JOIN fixtures f ON f.id = fs.fixture_id
            LEFT JOIN performances p ON p.fixture_id = f.id AND p.side_id = s.id
            WHERE f.starts_at < now()
            GROUP BY s.id, s.name, s.tradition
            ORDER BY dances DESC, avg_rating DESC NULLS LAST
            LIMIT 25
        """)
        columns = [c.name for c in cur.description]
        league = [dict(zip(columns, row)) for row in cur.fetchall()]

    season_year = _current_season_year()
    last_fortnight = timezone.now() - timedelta(days=14)
    recent = (
        Fixture.objects.filter(sides=side, starts_at__gte=last_fortnight, starts_at__lt=timezone.now())
        .select_related("venue")
        .order_by("-starts_at")[:5]
    )

    return render(
        request,
        "fixtures/dashboard.html",
        {
            "side": side,
            "season_year": season_year,
            "upcoming": upcoming,
            "recent": recent,
            "league": league,
            "my_position": next((i + 1 for i, row in enumerate(league) if row["id"] == side.id), None),
        },
    )
