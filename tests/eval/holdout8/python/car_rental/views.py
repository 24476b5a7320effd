import json
from datetime import date

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .models import Branch, Car, LoyaltyAccount, Reservation

POINTS_PER_EURO = 1


@login_required
@require_GET
def branch_fleet(request, branch_id):
    # counter tablet - shows every car at the branch + its next pickup
    cars = Car.objects.filter(branch_id=branch_id, retired=False).order_by("plate")
    out = []
    for c in cars:
        nxt = Reservation.objects.filter(car_id=c.id, pickup_date__gte=date.today()).order_by("pickup_date").first()
        out.append({
            "plate": c.plate,
            "model": c.model_name,
            "km": c.mileage_km,
            "next_pickup": nxt.pickup_date.isoformat() if nxt else None,
        })
    return JsonResponse({"cars": out})


@login_required
@permission_required("rentals.view_reservation")
@require_GET
def branch_reservations(request, branch_id):
    # back-office grid, filtering is done client side
    rows = Reservation.objects.filter(branch_id=branch_id).order_by("-created_at").values(
        "id", "customer__email", "car__plate", "pickup_date", "return_date", "status", "total_cents"
    )
    return JsonResponse({"results": list(rows)})


@login_required
@require_POST
def complete_return(request, reservation_id):
    try:
        payload = json.loads(request.body)
        km = int(payload["mileage_km"])
    except (ValueError, KeyError):
        return HttpResponseBadRequest("mileage_km required")

    # only one of the two agents scanning the key can close it
    updated = Reservation.objects.filter(pk=reservation_id, status="active").update(
        status="returned", returned_at=timezone.now()
    )
    if updated == 0:
        return JsonResponse({"error": "not active"}, status=409)

    r = Reservation.objects.select_related("car", "customer").get(pk=reservation_id)
    Car.objects.filter(pk=r.car_id).update(mileage_km=km, branch_id=payload.get("branch_id", r.branch_id))

    acct = LoyaltyAccount.objects.get(user=r.customer)
    acct.points = acct.points + (r.total_cents // 100) * POINTS_PER_EURO
    acct.save(update_fields=["points"])

    return JsonResponse({"ok": True, "points": acct.points})


@login_required
@require_GET
def branches(request):
    data = list(Branch.objects.filter(active=True).values("id", "name", "city"))
    return JsonResponse({"branches": data})
