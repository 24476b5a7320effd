"""Winter mooring permits for the visitor berths on the Kennet stretch.

Lock-keepers use the list view on a tablet; boaters apply through the
member portal which posts to ``issue_permit``.
"""
from datetime import date

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from .models import Berth, Boat, MooringPermit

MAX_ROWS = 200


def current_season() -> str:
    """Winter season label, e.g. '2024/25' (November to March)."""
    today = date.today()
    start = today.year if today.month >= 11 else today.year - 1
    return f"{start}/{str(start + 1)[-2:]}"


@login_required
@require_GET
def permit_list(request, stretch_id: int):
    """Permits on one stretch, ordered by berth code, for the tablet view."""
    permits = (
        MooringPermit.objects.filter(berth__stretch_id=stretch_id, season=current_season())
        .select_related("berth")
        .order_by("berth__code")[:MAX_ROWS]
    )

    rows = []
    for permit in permits:
        boat = Boat.objects.get(pk=permit.boat_id)
        rows.append(
            {
                "berth": permit.berth.code,
                "boat_name": boat.name,
                "index_number": boat.cart_index_number,
                "length_m": float(boat.length_m),
                "valid_until": permit.valid_until.isoformat(),
            }
        )
    return JsonResponse({"stretch": stretch_id, "permits": rows})


@login_required
@require_POST
def issue_permit(request, berth_id: int):
    """Allocate a berth to one of the member's boats for the current season."""
    berth = get_object_or_404(Berth, pk=berth_id)
    boat = get_object_or_404(Boat, pk=request.POST.get("boat_id"), owner=request.user)
    season = current_season()

    if boat.length_m > berth.max_length_m:
        return JsonResponse({"error": "boat is too long for this berth"}, status=400)

    taken = MooringPermit.objects.filter(berth=berth, season=season).exists()
    if taken:
        return JsonResponse({"error": "berth already allocated this season"}, status=409)

    with transaction.atomic():
        permit = MooringPermit.objects.create(
            berth=berth,
            boat=boat,
            season=season,
            issued_by=request.user,
            valid_until=date(int(season[:4]) + 1, 3, 31),
        )
        berth.last_allocated = date.today()
        berth.save(update_fields=["last_allocated"])

    return JsonResponse(
        {"permit_id": permit.pk, "berth": berth.code, "season": season},
        status=201,
    )
