from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .models import SwarmCallout
from .tasks import notify_reporter_of_claim


@login_required
@require_GET
def open_callouts(request):
    """Swarm reports waiting for a collector in the beekeeper's own association."""
    association_id = request.user.beekeeper.association_id
    qs = (
        SwarmCallout.objects.filter(association_id=association_id, status=SwarmCallout.Status.OPEN)
        .only("id", "reported_at", "postcode_district", "height_band", "description")
        .order_by("-reported_at")
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "callouts": [
                {
                    "id": c.id,
                    "reported_at": c.reported_at.isoformat(),
                    "district": c.postcode_district,
                    "height": c.height_band,
                    "description": c.description,
                }
                for c in page.object_list
            ],
            "page": page.number,
            "pages": page.paginator.num_pages,
        }
    )


@login_required
@require_POST
def claim_callout(request, callout_id: int):
    beekeeper = request.user.beekeeper
    with transaction.atomic():
        # Row lock: two collectors tapping "I'll go" at once queue here and
        # the second one sees the claimed status.
        callout = get_object_or_404(
            SwarmCallout.objects.select_for_update(),
            pk=callout_id,
            association_id=beekeeper.association_id,
        )
        if callout.status != SwarmCallout.Status.OPEN:
            return JsonResponse({"error": "Someone is already on their way"}, status=409)

        callout.status = SwarmCallout.Status.CLAIMED
        callout.claimed_by = beekeeper
        callout.claimed_at = timezone.now()
        callout.save(update_fields=["status", "claimed_by", "claimed_at"])
        transaction.on_commit(lambda: notify_reporter_of_claim.delay(callout.id))

    return JsonResponse({"id": callout.id, "status": callout.status})
