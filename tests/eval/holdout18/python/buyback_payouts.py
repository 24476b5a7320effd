# buyback/payouts.py -- store credit + cash-out for the textbook buyback desk
from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.contrib.auth.decorators import login_required

from .models import BuybackOrder, CreditLedger, StoreCredit


class InvalidState(Exception):
    pass


def credit_received_order(order_id: int, staff_user) -> BuybackOrder:
    """Called by the warehouse scanner once the books have arrived."""
    with transaction.atomic():
        order = BuybackOrder.objects.select_for_update().get(pk=order_id)
        if order.status != "accepted":
            raise InvalidState(f"order {order_id} is {order.status}")
        order.status = "paid"
        order.paid_at = timezone.now()
        order.received_by = staff_user
        order.save(update_fields=["status", "paid_at", "received_by"])

        StoreCredit.objects.filter(user_id=order.seller_id).update(
            balance=F("balance") + order.total, updated_at=timezone.now()
        )
        CreditLedger.objects.create(user_id=order.seller_id, order=order, amount=order.total, kind="buyback")
    cache.delete(f"payout-summary:{order.seller_id}")
    return order


@login_required
@require_POST
def cash_out(request):
    amount = Decimal(request.POST.get("amount", "0"))
    if amount <= 0:
        return HttpResponseBadRequest("amount must be positive")
    with transaction.atomic():
        updated = StoreCredit.objects.filter(user=request.user, balance__gte=amount).update(
            balance=F("balance") - amount, updated_at=timezone.now()
        )
        if updated == 0:
            return HttpResponseBadRequest("insufficient credit")
        CreditLedger.objects.create(user=request.user, amount=-amount, kind="cash_out")
    cache.delete(f"payout-summary:{request.user.pk}")
    return JsonResponse({"ok": True})


@login_required
@require_GET
def payout_summary(request):
    # this user's own totals -- only they ever see it
    key = f"payout-summary:{request.user.pk}"
    summary = cache.get(key)
    if summary is None:
        summary = CreditLedger.objects.filter(user=request.user).aggregate(
            earned=Sum("amount", filter=Q(amount__gt=0)), entries=Count("id")
        )
        summary = {k: str(v or 0) for k, v in summary.items()}
        cache.set(key, summary, 300)
    return JsonResponse(summary)


@login_required
@require_GET
def ledger(request):
    qs = CreditLedger.objects.filter(user=request.user).order_by("-created").values(
        "amount", "kind", "created", "order_id"
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return JsonResponse({"entries": list(page.object_list), "has_next": page.has_next()})
