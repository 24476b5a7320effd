# foodtruck/orders/views.py
import json
import logging

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from .models import MenuItem, Order, Truck

log = logging.getLogger(__name__)

PAGE_SIZE = 25


@login_required
@require_POST
def place_order(request, truck_id):
    """Pre-order a dish for pickup. Portions are limited per service."""
    truck = get_object_or_404(Truck, pk=truck_id, is_open=True)
    try:
        payload = json.loads(request.body)
        item_id = int(payload["item_id"])
        qty = int(payload.get("qty", 1))
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest("invalid payload")
    if not 1 <= qty <= 10:
        return HttpResponseBadRequest("qty must be between 1 and 10")

    item = get_object_or_404(MenuItem, pk=item_id, truck=truck)

    with transaction.atomic():
        # conditional decrement: 0 rows updated means not enough portions left
        updated = MenuItem.objects.filter(pk=item.pk, portions_left__gte=qty).update(
            portions_left=F("portions_left") - qty
        )
        if updated == 0:
            return JsonResponse({"error": f"{item.name} is sold out"}, status=409)
        order = Order.objects.create(
            truck=truck,
            customer=request.user,
            item=item,
            qty=qty,
            unit_price=item.price,
            status="pending",
        )

    log.info("order %s placed for truck %s", order.pk, truck.pk)
    return JsonResponse({"order_id": order.pk, "status": order.status}, status=201)


@login_required
@require_GET
def my_orders(request):
    qs = (
        Order.objects.filter(customer=request.user)
        .select_related("truck", "item")
        .order_by("-created_at")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return JsonResponse({
        "results": [
            {
                "id": o.pk,
                "truck": o.truck.name,
                "item": o.item.name,
                "qty": o.qty,
                "status": o.status,
            }
            for o in page
        ],
        "page": page.number,
        "has_next": page.has_next(),
    })


@login_required
@require_POST
def mark_ready(request, truck_id, order_id):
    """Truck staff flag an order as ready; only pending orders can move to ready."""
    truck = get_object_or_404(Truck, pk=truck_id, owner=request.user)
    changed = Order.objects.filter(pk=order_id, truck=truck, status="pending").update(status="ready")
    if not changed:
        return JsonResponse({"error": "order not pending"}, status=409)
    return JsonResponse({"order_id": order_id, "status": "ready"})
