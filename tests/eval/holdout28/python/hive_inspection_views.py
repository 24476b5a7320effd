# hives/views.py — urban beekeeping association portal
#
# Each association (city club) manages its own apiaries on rooftops and
# allotments; members log inspections (queen seen, brood pattern, varroa count)
# from their phones after each visit.
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from .forms import InspectionForm
from .models import Apiary, Hive, Inspection


def _association(request):
    return request.user.beekeeper.association


@login_required
@require_GET
def apiary_overview(request, apiary_id):
    apiary = get_object_or_404(Apiary, pk=apiary_id, association=_association(request))
    hives = Hive.objects.filter(apiary=apiary, retired=False).order_by("label")
    page = Paginator(hives, 25).get_page(request.GET.get("page"))

    rows = []
    for hive in page.object_list:
        last = Inspection.objects.filter(hive=hive).order_by("-inspected_at").first()
        overdue = last is None or (timezone.now() - last.inspected_at).days > 10
        rows.append(
            {
                "hive": hive,
                "last_inspection": last,
                "varroa": last.varroa_per_100 if last else None,
                "overdue": overdue,
            }
        )
    return render(
        request,
        "hives/apiary_overview.html",
        {"apiary": apiary, "rows": rows, "page": page},
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_inspection(request, hive_id):
    hive = get_object_or_404(
        Hive.objects.select_related("apiary"),
        pk=hive_id,
        apiary__association=_association(request),
    )
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            inspection = form.save(commit=False)
            inspection.hive = hive
            inspection.inspector = request.user.beekeeper
            inspection.inspected_at = timezone.now()
            inspection.save()
        return redirect("hives:apiary_overview", apiary_id=hive.apiary_id)
    return render(request, "hives/record_inspection.html", {"hive": hive, "form": form})


@login_required
@require_GET
def inspection_detail(request, inspection_id):
    inspection = get_object_or_404(Inspection.objects.select_related("hive__apiary"), pk=inspection_id)
    return JsonResponse(
        {
            "id": inspection.id,
            "hive": inspection.hive.label,
            "apiary": inspection.hive.apiary.name,
            "inspected_at": inspection.inspected_at.isoformat(),
            "queen_seen": inspection.queen_seen,
            "brood_frames": inspection.brood_frames,
            "temper": inspection.temper,
            "varroa_per_100": inspection.varroa_per_100,
            "notes": inspection.notes,
        }
    )


@login_required
@require_GET
def varroa_alerts(request):
    """Hives in this association with a recent mite count above threshold."""
    since = timezone.now() - timedelta(days=14)
    alerts = (
        Inspection.objects.filter(
            hive__apiary__association=_association(request),
            inspected_at__gte=since,
            varroa_per_100__gte=3,
        )
        .select_related("hive", "hive__apiary")
        .order_by("-varroa_per_100")[:50]
    )
    return JsonResponse(
        {
            "alerts": [
                {"hive": a.hive.label, "apiary": a.hive.apiary.name, "varroa": a.varroa_per_100}
                for a in alerts
            ]
        }
    )
