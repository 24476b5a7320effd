"""Transferring a mooring permit when a narrowboat is sold mid-season.

The permit moves to the buyer's boat; the berth stays allocated. Each
navigation authority only sees its own permits.
"""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from .models import Boat, MooringPermit, PermitTransfer

PAGE_SIZE = 50


@login_required
@require_GET
def authority_permits(request):
    """Paginated permits for the officer's navigation authority."""
    authority_id = request.user.officer_profile.authority_id
    qs = (
        MooringPermit.objects.filter(berth__stretch__authority_id=authority_id)
        .select_related("berth", "boat")
        .order_by("berth__code", "pk")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "page": page.number,
            "pages": page.paginator.num_pages,
            "permits": [
                {
                    "id": p.pk,
                    "berth": p.berth.code,
                    "boat": p.boat.name,
                    "season": p.season,
                }
                for p in page.object_list
            ],
        }
    )


@login_required
@require_POST
def transfer_permit(request, permit_id: int):
    authority_id = request.user.officer_profile.authority_id
    new_boat = get_object_or_404(
        Boat, pk=request.POST.get("boat_id"), registered_authority_id=authority_id
    )

    with transaction.atomic():
        # Row lock: two officers processing the same sale wait for each other
        permit = get_object_or_404(
            MooringPermit.objects.select_for_update().select_related("berth"),
            pk=permit_id,
            berth__stretch__authority_id=authority_id,
        )
        if permit.boat_id == new_boat.pk:
            return JsonResponse({"error": "permit already on this boat"}, status=409)
        if new_boat.length_m > permit.berth.max_length_m:
            return JsonResponse({"error": "boat is too long for the berth"}, status=400)

        PermitTransfer.objects.create(
            permit=permit,
            from_boat_id=permit.boat_id,
            to_boat=new_boat,
            processed_by=request.user,
        )
        permit.boat = new_boat
        permit.save(update_fields=["boat"])

    return JsonResponse({"permit_id": permit.pk, "boat": new_boat.name})
