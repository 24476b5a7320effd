# buyback/views.py
import json
from decimal import Decimal

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .models import BuybackOrder, PriceQuote, StoreCredit

CONDITION_FACTOR = {"new": Decimal("1.0"), "good": Decimal("0.8"), "worn": Decimal("0.5")}


@login_required
@require_POST
def quote_books(request):
    # body: {"items": [{"isbn": "...", "condition": "good"}, ...]}
    try:
        items = json.loads(request.body)["items"]
    except (ValueError, KeyError):
        return HttpResponseBadRequest("bad body")

    lines = []
    total = Decimal("0")
    for it in items:
        q = PriceQuote.objects.filter(isbn=it["isbn"], valid_from__lte=timezone.now()).order_by("-valid_from").first()
        if q is None:
            lines.append({"isbn": it["isbn"], "offer": None})
            continue
        offer = (q.base_price * CONDITION_FACTOR.get(it.get("condition"), Decimal("0.5"))).quantize(Decimal("0.01"))
        total += offer
        lines.append({"isbn": it["isbn"], "offer": str(offer)})

    order = BuybackOrder.objects.create(seller=request.user, lines=lines, total=total, status="quoted")
    return JsonResponse({"order_id": order.pk, "lines": lines, "total": str(total)})


@login_required
@require_POST
def accept_order(request, order_id):
    # flip status atomically so a double click can't accept twice
    n = BuybackOrder.objects.filter(pk=order_id, seller=request.user, status="quoted").update(
        status="accepted", accepted_at=timezone.now()
    )
    if n == 0:
        return HttpResponseBadRequest("order not open")

    order = BuybackOrder.objects.get(pk=order_id)
    credit = StoreCredit.objects.get(user=request.user)
    credit.balance = credit.balance + order.total
    credit.updated_at = timezone.now()
    credit.save()
    return JsonResponse({"ok": True, "balance": str(credit.balance)})


@login_required
@require_GET
def my_order(request, order_id):
    o = get_object_or_404(BuybackOrder, pk=order_id, seller=request.user)
    return JsonResponse(o.as_dict())


@staff_member_required
@require_GET
def all_orders(request):
    # used by the warehouse dashboard
    rows = BuybackOrder.objects.all().order_by("-created").values(
        "id", "seller__email", "total", "status", "created", "accepted_at"
    )
    return JsonResponse({"orders": list(rows)})
