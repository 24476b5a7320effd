# wardens/views.py -- coastal path warden patrol log (Django 4.2)
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .models import Incident, PathSection, Patrol, Warden


def _patrol_row(patrol, warden):
    return {
        "id": patrol.id,
        "warden": warden.display_name,
        "warden_radio": warden.radio_callsign,
        "started_at": patrol.started_at.isoformat(),
        "ended_at": patrol.ended_at.isoformat() if patrol.ended_at else None,
        "distance_km": float(patrol.distance_km or 0),
        "notes": patrol.notes,
    }


@login_required
@require_GET
def section_patrol_log(request, section_slug):
    """Every patrol walked along one stretch of the coast path, newest first.

    Used by the area ranger's weekly review screen and the parish council export.
    """
    section = get_object_or_404(PathSection, slug=section_slug)
    patrols = Patrol.objects.filter(section=section).order_by("-started_at")

    rows = []
    for patrol in patrols:
        warden = Warden.objects.get(pk=patrol.warden_id)
        rows.append(_patrol_row(patrol, warden))

    return JsonResponse(
        {
            "section": section.name,
            "length_km": float(section.length_km),
            "patrols": rows,
        }
    )


@login_required
@require_GET
def section_incidents(request, section_slug):
    """Erosion, fallen stiles, livestock on the path: paged, 25 at a time."""
    section = get_object_or_404(PathSection, slug=section_slug)
    qs = (
        Incident.objects.filter(section=section)
        .select_related("reported_by")
        .order_by("-reported_at")
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "section": section.name,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "incidents": [
                {
                    "id": i.id,
                    "kind": i.kind,
                    "severity": i.severity,
                    "reported_by": i.reported_by.display_name,
                    "reported_at": i.reported_at.isoformat(),
                    "resolved": i.resolved_at is not None,
                }
                for i in page.object_list
            ],
        }
    )
