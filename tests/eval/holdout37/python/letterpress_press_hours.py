# presshours/views.py
#
# Press-hours booking for shared letterpress studios. One deployment hosts
# many studios; every Press, Member and PressSession belongs to a Studio.
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from .models import Member, Press, PressSession

SESSION_LENGTH = ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField())


def _hours(delta):
    return round((delta or timedelta()).total_seconds() / 3600, 1)


@login_required
def studio_dashboard(request):
    """Landing page for studio managers: usage per press per month, all time."""
    studio = request.user.member.studio

    monthly = (
        PressSession.objects.filter(press__studio=studio, ended_at__isnull=False)
        .annotate(month=TruncMonth("started_at"))
        .values("month", "press__name", "press__kind")
        .annotate(sessions=Count("id"), hours=Sum(SESSION_LENGTH), members=Count("member", distinct=True))
        .order_by("-month", "press__name")
    )

    table = [
        {
            "month": row["month"].strftime("%b %Y"),
            "press": row["press__name"],
            "kind": row["press__kind"],
            "sessions": row["sessions"],
            "hours": _hours(row["hours"]),
            "members": row["members"],
        }
        for row in monthly
    ]
    upcoming = (
        PressSession.objects.filter(press__studio=studio, started_at__gte=timezone.now())
        .select_related("press", "member")
        .order_by("started_at")[:20]
    )
    return render(
        request,
        "presshours/dashboard.html",
        {"studio": studio, "usage_table": table, "upcoming": upcoming},
    )


@login_required
def member_history(request, member_id):
    """Last 50 sessions for one member, for the 'who left ink on the Vandercook' conversations."""
    studio = request.user.member.studio
    if not Member.objects.filter(pk=member_id, studio=studio).exists():
        raise Http404

    sessions = (
        PressSession.objects.filter(member_id=member_id, press__studio=studio)
        .select_related("press")
        .order_by("-started_at")[:50]
    )
    return JsonResponse(
        {
            "member_id": member_id,
            "sessions": [
                {
                    "press": s.press.name,
                    "started_at": s.started_at.isoformat(),
                    "hours": _hours(s.ended_at - s.started_at) if s.ended_at else None,
                    "cleaned_down": s.cleaned_down,
                }
                for s in sessions
            ],
        }
    )


@login_required
def press_detail(request, press_id):
    press = Press.objects.filter(pk=press_id).select_related("studio").first()
    if press is None:
        raise Http404
    return JsonResponse(
        {
            "id": press.id,
            "name": press.name,
            "kind": press.kind,
            "bed_size": press.bed_size,
            "studio": press.studio.name,
        }
    )
