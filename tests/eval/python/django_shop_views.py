from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from .models import Coupon, Order, OrderItem, Product


@login_required
def order_history(request):
    orders = (
        Order.objects.filter(customer=request.user)
        .select_related("shipping_address")
        .prefetch_related("items__product")
        .order_by("-created_at")[:50]
    )
    return JsonResponse(
        {
            "orders": [
                {
                    "id": o.id,
                    "total": str(o.total),
                    "items": [{"sku": i.product.sku, "qty": i.quantity} for i in o.items.all()],
                }
                for o in orders
            ]
        }
    )


@login_required
def order_summary(request):
    orders = Order.objects.filter(customer=request.user).order_by("-created_at")[:20]
    rows = []
    for order in orders:
        items = OrderItem.objects.filter(order_id=order.id).count()
        rows.append({"id": order.id, "items": items, "total": str(order.total)})
    return JsonResponse({"orders": rows})


@require_POST
@login_required
def add_to_cart(request, product_id):
    qty = int(request.POST.get("qty", 1))
    with transaction.atomic():
        updated = Product.objects.filter(pk=product_id, stock__gte=qty).update(
            stock=F("stock") - qty
        )
    if not updated:
        return HttpResponseBadRequest("not enough stock")
    return JsonResponse({"ok": True})


@require_POST
@login_required
def redeem_coupon(request):
    code = request.POST["code"].strip().upper()
    coupon = get_object_or_404(Coupon, code=code)
    if coupon.redeemed_count >= coupon.max_redemptions:
        return JsonResponse({"error": "coupon exhausted"}, status=409)
    coupon.redeemed_count += 1
    coupon.save(update_fields=["redeemed_count"])
    request.session["coupon"] = coupon.code
    return JsonResponse({"discount": coupon.percent_off})
