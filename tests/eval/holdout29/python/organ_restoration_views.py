# workshop/views.py -- pipe organ restoration workshop: jobs, parts, movements
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .models import PartMovement, PipePart, RestorationJob


def _serialize_part(part):
    return {
        "id": part.id,
        "rank": part.rank_name,          # e.g. "Open Diapason 8'"
        "note": part.note,               # e.g. "C#3"
        "material": part.material,       # spotted metal, oak, pine...
        "condition": part.condition,
        "location": part.bench_location,
    }


@login_required
@require_GET
def job_board(request):
    """Workshop board: active jobs with the pipes currently on the bench."""
    jobs = (
        RestorationJob.objects.filter(status__in=["dismantled", "on_bench", "voicing"])
        .select_related("church")
        .order_by("due_date")[:40]
    )
    board = []
    for job in jobs:
        parts = PipePart.objects.filter(job_id=job.id, on_bench=True).order_by("rank_name", "note")
        board.append({
            "job": job.id,
            "church": job.church.name,
            "instrument": job.instrument_builder,
            "due": job.due_date.isoformat() if job.due_date else None,
            "parts_on_bench": [_serialize_part(p) for p in parts],
        })
    return JsonResponse({"jobs": board})


@login_required
@require_GET
def job_detail(request, job_id):
    job = get_object_or_404(RestorationJob.objects.select_related("church"), pk=job_id)
    parts = (
        PipePart.objects.filter(job=job)
        .order_by("rank_name", "note")[:500]
    )
    return JsonResponse({
        "job": job.id,
        "church": job.church.name,
        "parts": [_serialize_part(p) for p in parts],
    })


@login_required
@require_GET
def movement_history(request):
    """Audit trail of every pipe moved between church, van, bench and store.

    Used by the office to reconcile insurance schedules.
    """
    movements = PartMovement.objects.order_by("-moved_at").values(
        "id", "part_id", "from_location", "to_location", "moved_by__username", "moved_at"
    )
    return JsonResponse({"movements": list(movements)})


@login_required
@require_GET
def rank_lookup(request):
    rank = request.GET.get("rank", "").strip()
    if not rank:
        return JsonResponse({"parts": []})
    parts = PipePart.objects.filter(rank_name__iexact=rank).order_by("job_id", "note")[:200]
    return JsonResponse({"parts": [_serialize_part(p) for p in parts]})
