"""Standings pages for the bridge club league site.

Each affiliated club has its own pages; boards are scored per session
(matchpoints, percentage) and masterpoints accumulate across seasons.
"""
from django.core.cache import cache
from django.db.models import Avg, Count, F, Max, Q, Sum
from django.shortcuts import get_object_or_404, render

from .models import BoardResult, Club, MasterpointAward, Session

LADDER_TTL = 60 * 10


def _masterpoint_ladder(club):
    """Lifetime masterpoint ladder: every award the club has ever made, by player."""
    return list(
        MasterpointAward.objects.filter(club=club)
        .values(player_id=F("player__id"), name=F("player__display_name"))
        .annotate(points=Sum("points"), green=Sum("points", filter=Q(colour="green")))
        .order_by("-points")[:100]
    )


def club_home(request, club_slug):
    club = get_object_or_404(Club, slug=club_slug)
    recent_sessions = (
        Session.objects.filter(club=club).order_by("-played_on").only("id", "played_on", "movement")[:6]
    )

    ladder_key = f"bridge:ladder:{club.id}"
    ladder = cache.get(ladder_key)
    if ladder is None:
        ladder = _masterpoint_ladder(club)
        cache.set(ladder_key, ladder, LADDER_TTL)

    return render(
        request,
        "bridge/club_home.html",
        {"club": club, "recent_sessions": recent_sessions, "ladder": ladder[:20]},
    )


def pair_standings(request, club_slug):
    """All-time pair table, shown on the 'Standings' tab."""
    club = get_object_or_404(Club, slug=club_slug)
    standings = (
        BoardResult.objects.filter(session__club=club)
        .values("pair_id", "pair__north__display_name", "pair__south__display_name")
        .annotate(boards=Count("id"), total_mp=Sum("matchpoints"), avg_pct=Avg("percentage"), best=Max("percentage"))
        .filter(boards__gte=50)
        .order_by("-avg_pct")[:50]
    )
    return render(request, "bridge/standings.html", {"club": club, "standings": standings})


def session_detail(request, club_slug, session_id):
    club = get_object_or_404(Club, slug=club_slug)
    session = get_object_or_404(Session, pk=session_id, club=club)
    results = (
        BoardResult.objects.filter(session=session)
        .select_related("pair__north", "pair__south")
        .order_by("board_number", "-matchpoints")
    )
    return render(request, "bridge/session_detail.html", {"club": club, "session": session, "results": results})
