# rentals/views.py
import datetime as dt

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST
from django.contrib.auth.decorators import login_required

from .models import Booking, Property
from .tasks import send_booking_confirmation


def _parse_date(value):
    return dt.date.fromisoformat(value)


@login_required
@require_POST
def create_booking(request, property_id):
    check_in = _parse_date(request.POST["check_in"])
    check_out = _parse_date(request.POST["check_out"])
    if check_out <= check_in:
        return JsonResponse({"error": "check_out must be after check_in"}, status=400)

    with transaction.atomic():
        # Lock the property row so two guests can't book overlapping nights at once.
        prop = Property.objects.select_for_update().get(pk=property_id, is_listed=True)

        overlapping = Booking.objects.filter(
            property=prop,
            status__in=[Booking.CONFIRMED, Booking.PENDING],
            check_in__lt=check_out,
            check_out__gt=check_in,
        ).exists()
        if overlapping:
            return JsonResponse({"error": "Those dates are no longer available"}, status=409)

        nights = (check_out - check_in).days
        booking = Booking.objects.create(
            property=prop,
            guest=request.user,
            check_in=check_in,
            check_out=check_out,
            total_cents=nights * prop.nightly_rate_cents + prop.cleaning_fee_cents,
            status=Booking.PENDING,
        )
        transaction.on_commit(lambda: send_booking_confirmation.delay(booking.id))

    cache.delete(f"guest-trips:{request.user.id}")
    return JsonResponse({"id": booking.id, "total_cents": booking.total_cents}, status=201)


@login_required
@require_GET
def my_trips(request):
    # Each guest only ever sees their own trips, so the key is per user on purpose.
    key = f"guest-trips:{request.user.id}"
    trips = cache.get(key)
    if trips is None:
        trips = list(
            Booking.objects.filter(guest=request.user)
            .select_related("property", "property__city")
            .order_by("-check_in")
            .values("id", "property__title", "property__city__name", "check_in", "check_out", "status")[:50]
        )
        cache.set(key, trips, timeout=120)
    return JsonResponse({"trips": trips})


@login_required
@require_GET
def host_bookings(request):
    qs = (
        Booking.objects.filter(property__host=request.user)
        .select_related("property", "guest")
        .order_by("-created_at")
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "results": [
                {
                    "id": b.id,
                    "property": b.property.title,
                    "guest": b.guest.get_full_name(),
                    "check_in": b.check_in.isoformat(),
                    "check_out": b.check_out.isoformat(),
                    "status": b.status,
                }
                for b in page.object_list
            ],
            "page": page.number,
            "num_pages": page.paginator.num_pages,
        }
    )


@login_required
@require_POST
def cancel_booking(request, booking_id):
    booking = get_object_or_404(Booking, pk=booking_id, guest=request.user)
    updated = Booking.objects.filter(pk=booking.pk, status=Booking.PENDING).update(
        status=Booking.CANCELLED
    )
    if not updated:
        return JsonResponse({"error": "Only pending bookings can be cancelled"}, status=409)
    cache.delete(f"guest-trips:{request.user.id}")
    return JsonResponse({"ok": True})
