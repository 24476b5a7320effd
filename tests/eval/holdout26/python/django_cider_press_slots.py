"""Views for booking pressing slots at the co-op cider press.

Members bring their apples on a chosen day; each slot has a fixed number of
press bays. The mill manager has an export of every pressing for the records.
"""
import json
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from .models import Pressing, PressingSlot

ALLOWED_VARIETIES = {"bittersweet", "bittersharp", "sharp", "sweet", "mixed"}


def _serialize_pressing(p):
    return {
        "id": p.id,
        "slot": p.slot_id,
        "day": p.slot.day.isoformat(),
        "member": p.member.get_full_name(),
        "apples_kg": float(p.apples_kg),
        "variety": p.variety,
        "juice_litres": float(p.juice_litres or 0),
    }


@require_GET
def open_slots(request):
    """Pressing slots for the next fortnight."""
    today = date.today()
    slots = (
        PressingSlot.objects.filter(day__gte=today, day__lte=today + timedelta(days=14))
        .order_by("day", "starts_at")[:60]
    )
    return JsonResponse({
        "slots": [
            {"id": s.id, "day": s.day.isoformat(), "starts_at": s.starts_at.isoformat(), "bays": s.bays}
            for s in slots
        ]
    })


@login_required
@require_POST
def reserve_bay(request, slot_id):
    payload = json.loads(request.body or "{}")
    try:
        apples_kg = float(payload.get("apples_kg", 0))
    except (TypeError, ValueError):
        return HttpResponseBadRequest("apples_kg must be a number")
    if apples_kg <= 0 or apples_kg > 2000:
        return HttpResponseBadRequest("apples_kg out of range")

    variety = payload.get("variety", "mixed")
    if variety not in ALLOWED_VARIETIES:
        return HttpResponseBadRequest("unknown variety")

    slot = get_object_or_404(PressingSlot, pk=slot_id)
    if slot.day < date.today():
        return HttpResponseBadRequest("slot is in the past")

    with transaction.atomic():
        # Each bay takes one member's load; the press runs at most `bays` loads per slot.
        booked = Pressing.objects.filter(slot=slot).count()
        if booked >= slot.bays:
            return JsonResponse({"error": "slot full"}, status=409)
        pressing = Pressing.objects.create(
            slot=slot,
            member=request.user,
            apples_kg=apples_kg,
            variety=variety,
        )
    return JsonResponse(_serialize_pressing(pressing), status=201)


@login_required
@permission_required("press.view_all_pressings", raise_exception=True)
@require_GET
def pressing_export(request):
    """JSON export used by the mill manager's spreadsheet import."""
    pressings = Pressing.objects.select_related("member", "slot").order_by("-slot__day", "id")
    variety = request.GET.get("variety")
    if variety:
        pressings = pressings.filter(variety=variety)
    return JsonResponse({"results": [_serialize_pressing(p) for p in pressings]})
