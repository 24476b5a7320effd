import logging

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from .models import Coupon, CouponRedemption, Order, PointsAccount, Product

log = logging.getLogger(__name__)


@login_required
@require_POST
def reserve_stock(request, sku):
    qty = int(request.POST.get("qty", 1))
    if not 1 <= qty <= 10:
        return JsonResponse({"error": "qty must be 1..10"}, status=400)
    # single conditional UPDATE: never oversells, no read-then-write window
    updated = Product.objects.filter(sku=sku, stock__gte=qty).update(stock=F("stock") - qty)
    if updated == 0:
        return JsonResponse({"error": "out of stock"}, status=409)
    return JsonResponse({"reserved": qty})


@login_required
@require_POST
def transfer_points(request):
    to_id = int(request.POST["to_account"])
    amount = int(request.POST["amount"])
    if amount <= 0:
        return JsonResponse({"error": "amount must be positive"}, status=400)

    with transaction.atomic():
        # lock both rows in pk order so two opposite transfers can't deadlock
        accounts = {
            a.pk: a
            for a in PointsAccount.objects.select_for_update()
            .filter(pk__in=[request.user.points_account_id, to_id])
            .order_by("pk")
        }
        sender = accounts.get(request.user.points_account_id)
        recipient = accounts.get(to_id)
        if sender is None or recipient is None:
            return JsonResponse({"error": "unknown account"}, status=404)
        if sender.balance < amount:
            return JsonResponse({"error": "insufficient points"}, status=409)
        sender.balance -= amount
        recipient.balance += amount
        PointsAccount.objects.bulk_update([sender, recipient], ["balance"])
    return JsonResponse({"balance": sender.balance})


@login_required
@require_POST
def redeem_coupon(request):
    code = request.POST["code"].strip().upper()
    try:
        with transaction.atomic():
            used = Coupon.objects.filter(code=code, active=True, uses_left__gt=0).update(
                uses_left=F("uses_left") - 1
            )
            if not used:
                return JsonResponse({"error": "coupon not valid"}, status=409)
            # unique_together = ("coupon_code", "user") on CouponRedemption
            CouponRedemption.objects.create(coupon_code=code, user=request.user)
    except IntegrityError:
        log.info("user %s already redeemed %s", request.user.pk, code)
        return JsonResponse({"error": "already redeemed"}, status=409)
    return JsonResponse({"ok": True})


@login_required
def order_history(request):
    qs = (
        Order.objects.filter(customer=request.user)
        .select_related("shipping_address")
        .prefetch_related("items__product")
        .order_by("-created_at")
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "shop/order_history.html", {"page": page})


@login_required
def order_detail(request, order_id):
    order = (
        Order.objects.filter(customer=request.user, pk=order_id)
        .select_related("shipping_address")
        .prefetch_related("items__product")
        .first()
    )
    if order is None:
        return JsonResponse({"error": "not found"}, status=404)
    return render(request, "shop/order_detail.html", {"order": order, "items": order.items.al
