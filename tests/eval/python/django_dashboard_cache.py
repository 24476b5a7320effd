from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Sum
from django.http import JsonResponse

from .models import Order, Ticket


@login_required
def company_overview(request):
    key = f"overview:{request.user.pk}"
    data = cache.get(key)
    if data is None:
        data = {
            "orders_by_status": list(Order.objects.values("status").annotate(n=Count("id"))),
            "revenue": Order.objects.aggregate(total=Sum("total"))["total"],
        }
        cache.set(key, data, 300)
    return JsonResponse(data)


@login_required
def my_tickets(request):
    key = f"tickets:{request.user.pk}"
    data = cache.get(key)
    if data is None:
        data = list(
            Ticket.objects.filter(assignee=request.user, status="open")
            .order_by("-priority")
            .values("id", "subject", "priority")[:25]
        )
        cache.set(key, data, 60)
    return JsonResponse({"tickets": data})
