# clubhouse/views/dashboard.py
#
# Dashboard for the model railway club's members' area: layout running slots,
# which locos ran most, and the operating-session history chart.
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Avg, Count, F, Sum
from django.db.models.functions import TruncMonth
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from clubhouse.models import Layout, RunningSession, RunningSlot

SUMMARY_TTL = 15 * 60


def _club_summary():
    week_ago = timezone.now() - timedelta(days=7)
    return {
        "layouts": list(Layout.objects.values("id", "name", "gauge").order_by("name")),
        "slots_this_week": RunningSlot.objects.filter(starts_at__gte=week_ago).count(),
        "open_slots": RunningSlot.objects.filter(
            starts_at__gte=timezone.now(), member__isnull=True
        ).count(),
        "top_locos": list(
            RunningSession.objects.filter(started_at__gte=week_ago)
            .values("loco__name")
            .annotate(runs=Count("id"))
            .order_by("-runs")[:5]
        ),
    }


@login_required
def dashboard(request):
    # Cache the summary for a quarter of an hour; the clubroom TV refreshes often.
    key = f"club-dashboard:{request.user.pk}"
    summary = cache.get(key)
    if summary is None:
        summary = _club_summary()
        cache.set(key, summary, SUMMARY_TTL)

    my_slots = RunningSlot.objects.filter(
        member=request.user, starts_at__gte=timezone.now()
    ).select_related("layout").order_by("starts_at")[:10]

    return render(
        request,
        "clubhouse/dashboard.html",
        {"summary": summary, "my_slots": my_slots},
    )


@login_required
def session_history(request):
    """Monthly chart of operating sessions per layout, back to when the club started logging."""
    history = (
        RunningSession.objects.annotate(month=TruncMonth("started_at"))
        .values("month", "layout__name")
        .annotate(
            sessions=Count("id"),
            laps=Sum("lap_count"),
            avg_minutes=Avg(F("ended_at") - F("started_at")),
            derailments=Sum("derailment_count"),
        )
        .order_by("month", "layout__name")
    )
    return JsonResponse({"series": list(history)})
