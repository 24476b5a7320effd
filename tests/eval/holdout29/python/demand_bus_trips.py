# dispatch/views.py -- demand-responsive rural bus service
#
# Several county councils and community transport operators run their
# minibuses through this one dispatch app; data is separated by operator.
import json

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from .models import Driver, Passenger, Trip, TripBooking


@login_required
def dispatcher_trips(request):
    operator = request.user.profile.operator
    trips = (
        Trip.objects.filter(operator=operator, service_date=request.GET.get("date"))
        .select_related("vehicle", "driver")
        .order_by("departs_at")[:100]
    )
    return JsonResponse({"trips": [
        {
            "id": t.id,
            "route": t.zone_name,
            "departs_at": t.departs_at.isoformat(),
            "vehicle": t.vehicle.registration,
            "driver": t.driver.name if t.driver else None,
        }
        for t in trips
    ]})


@login_required
@require_POST
def reassign_driver(request, trip_id):
    operator = request.user.profile.operator
    body = json.loads(request.body or "{}")
    trip = Trip.objects.select_related("vehicle").get(pk=trip_id)
    driver = get_object_or_404(Driver, pk=body.get("driver_id"), operator=operator, active=True)
    if not driver.licence_categories.filter(code=trip.vehicle.licence_category).exists():
        return HttpResponseBadRequest("driver is not licensed for this vehicle")
    trip.driver = driver
    trip.save(update_fields=["driver"])
    return JsonResponse({"trip": trip.id, "driver": driver.id})


@login_required
@require_POST
def book_seat(request, trip_id):
    """Passengers phone the call centre; the agent books them onto a trip
    that passes near their pickup point."""
    operator = request.user.profile.operator
    body = json.loads(request.body or "{}")
    trip = get_object_or_404(Trip.objects.select_related("vehicle"), pk=trip_id, operator=operator)
    passenger = get_object_or_404(Passenger, pk=body.get("passenger_id"), operator=operator)

    seats_needed = 1 + int(body.get("companions", 0))
    wheelchair = bool(body.get("wheelchair"))

    booked = TripBooking.objects.filter(trip=trip, cancelled=False).count()
    if booked + seats_needed > trip.vehicle.seats:
        return JsonResponse({"error": "trip is full"}, status=409)
    if wheelchair and trip.vehicle.wheelchair_spaces == 0:
        return JsonResponse({"error": "no wheelchair space on this vehicle"}, status=409)

    with transaction.atomic():
        bookings = [
            TripBooking(
                trip=trip,
                passenger=passenger,
                pickup_point=body.get("pickup_point", "")[:120],
                is_companion=(i > 0),
                needs_wheelchair_space=wheelchair and i == 0,
            )
            for i in range(seats_needed)
        ]
        TripBooking.objects.bulk_create(bookings)

    return JsonResponse({"trip": trip.id, "seats": seats_needed}, status=201)
