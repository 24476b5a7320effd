# fridges/views.py -- community fridge network: coordinators' screens.
# Each organisation (a food-sharing charity, a church hall, a tenants'
# association) manages its own fridges; every query is scoped to it.
import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .models import Fridge, StockItem, StockLog

PAGE_SIZE = 25


def _org(request):
    return request.user.membership.organisation


@login_required
@require_GET
def fridge_list(request):
    org = _org(request)
    fridges = (
        Fridge.objects.filter(organisation=org, retired=False)
        .select_related("site", "coordinator")
        .order_by("site__name", "name")
    )
    page = Paginator(fridges, PAGE_SIZE).get_page(request.GET.get("page"))
    return JsonResponse({
        "page": page.number,
        "pages": page.paginator.num_pages,
        "fridges": [
            {
                "id": f.id,
                "name": f.name,
                "site": f.site.name,
                "coordinator": f.coordinator.get_full_name() if f.coordinator else None,
                "last_temp_c": f.last_temp_c,
                "last_checked_at": f.last_checked_at and f.last_checked_at.isoformat(),
            }
            for f in page
        ],
    })


@login_required
@require_GET
def fridge_detail(request, fridge_id):
    org = _org(request)
    fridge = get_object_or_404(
        Fridge.objects.filter(organisation=org).prefetch_related("items"), pk=fridge_id
    )
    logs = (
        StockLog.objects.filter(fridge=fridge)
        .select_related("item")
        .order_by("-created_at")[:100]
    )
    return JsonResponse({
        "id": fridge.id,
        "items": [{"id": i.id, "label": i.label, "quantity": i.quantity} for i in fridge.items.all()],
        "logs": [
            {"item": log.item.label, "delta": log.delta, "at": log.created_at.isoformat()}
            for log in logs
        ],
    })


@login_required
@require_POST
def discard_expired(request, fridge_id):
    """Coordinator ticks the items binned at the daily hygiene check."""
    org = _org(request)
    fridge = get_object_or_404(Fridge, pk=fridge_id, organisation=org)
    try:
        item_ids = [int(i) for i in json.loads(request.body)["item_ids"]][:200]
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest("item_ids must be a list of integers")

    updated = StockItem.objects.filter(
        fridge=fridge, id__in=item_ids, fridge__organisation=org
    ).update(quantity=0, discarded_at=timezone.now())
    Fridge.objects.filter(pk=fridge.pk, organisation=org).update(last_checked_at=timezone.now())
    return JsonResponse({"discarded": updated})
