# results/views.py
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from clubs.decorators import club_required
from .models import Course, Event, Result, Split


def _fmt(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    m, s = divmod(seconds, 60)
    return f"{m}:{s:02d}"


@require_GET
@club_required
def event_results(request, event_id: int):
    """Results for one event, grouped by course, with per-control splits."""
    event = get_object_or_404(Event, pk=event_id, club=request.club)
    courses = {c.id: c.name for c in Course.objects.filter(event=event)}

    results = (
        Result.objects.filter(event=event)
        .select_related("runner", "runner__club")
        .order_by("course_id", "status", "elapsed_seconds")
    )

    by_course: dict[str, list[dict]] = {}
    for res in results:
        splits = list(
            Split.objects.filter(result=res)
            .order_by("control_seq")
            .values_list("control_code", "split_seconds")
        )
        by_course.setdefault(courses.get(res.course_id, "?"), []).append({
            "runner": res.runner.full_name,
            "club": res.runner.club.short_name if res.runner.club else None,
            "status": res.status,            # OK / MP / DNF / DSQ
            "time": _fmt(res.elapsed_seconds),
            "splits": [{"control": code, "split": _fmt(sec)} for code, sec in splits],
        })

    return JsonResponse({"event": event.name, "date": event.date.isoformat(), "courses": by_course})


@require_GET
@login_required
@club_required
def runner_history(request, runner_id: int):
    """A runner's last 50 results at this club's events (profile page)."""
    rows = (
        Result.objects.filter(runner_id=runner_id, event__club=request.club)
        .select_related("event")
        .order_by("-event__date")[:50]
    )
    return JsonResponse({
        "results": [
            {"event": r.event.name, "date": r.event.date.isoformat(),
             "status": r.status, "time": _fmt(r.elapsed_seconds)}
            for r in rows
        ]
    })


@require_GET
@login_required
@club_required
def season_export(request):
    """JSON feed consumed by the club's ranking spreadsheet."""
    rows = (
        Result.objects.filter(event__club=request.club)
        .values("event__date", "event__name", "runner__full_name", "course__name",
                "status", "elapsed_seconds", "position")
        .order_by("event__date", "course__name", "position")
    )
    return JsonResponse({"club": request.club.slug, "results": list(rows)})
