"""Guided-tour slot views, tenant-scoped by museum.

All counters are changed with F() expressions so the database does the
arithmetic; nothing is read into Python, incremented and saved back.
"""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .models import TourBooking, TourSlot


@require_GET
def tours_for_day(request):
    day = timezone.localdate()
    qs = (
        TourSlot.objects.filter(museum=request.museum, starts_at__date=day, cancelled=False)
        .select_related("guide", "gallery")
        .order_by("starts_at")
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "page": page.number,
            "pages": page.paginator.num_pages,
            "tours": [
                {"id": s.id, "title": s.title, "gallery": s.gallery.name,
                 "starts_at": s.starts_at.isoformat(), "spots_left": s.capacity - s.spots_taken}
                for s in page.object_list
            ],
        }
    )


@login_required
@require_POST
def book_tour(request, slot_id):
    party = int(request.POST.get("party_size", 1))
    if not 1 <= party <= 8:
        return JsonResponse({"error": "party_size must be 1..8"}, status=400)

    try:
        with transaction.atomic():
            # Only succeeds while there is room; concurrent bookings queue on the row lock.
            taken = TourSlot.objects.filter(
                pk=slot_id,
                museum=request.museum,
                cancelled=False,
                spots_taken__lte=F("capacity") - party,
            ).update(spots_taken=F("spots_taken") + party)
            if taken == 0:
                return JsonResponse({"error": "Not enough spots left"}, status=409)

            # (slot, visitor) is unique, so a double-submit fails here and rolls back.
            booking = TourBooking.objects.create(
                museum=request.museum, slot_id=slot_id, visitor=request.user, party_size=party
            )
    except IntegrityError:
        return JsonResponse({"error": "You already have a place on this tour"}, status=409)

    return JsonResponse({"booking_id": booking.id, "party_size": party}, status=201)


@login_required
@require_POST
def guide_check_in(request, slot_id):
    count = int(request.POST.get("count", 1))
    if not 1 <= count <= 10:
        return JsonResponse({"error": "count must be 1..10"}, status=400)

    with transaction.atomic():
        slot = (
            TourSlot.objects.select_for_update()
            .filter(pk=slot_id, museum=request.museum, starts_at__date=timezone.localdate())
            .first()
        )
        if slot is None:
            return JsonResponse({"error": "No such tour today"}, status=404)
        slot.checked_in = F("checked_in") + count
        slot.last_check_in_at = timezone.now()
        slot.save(update_fields=["checked_in", "last_check_in_at"])
        slot.refresh_from_db(fields=["checked_in"])

    return JsonResponse({"slot": slot.id, "checked_in": slot.checked_in, "expected": slot.spots_taken})
