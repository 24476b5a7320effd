# rooms/views.py -- coworking meeting-room bookings
#
# Tenancy: every Room / Booking row has workspace_id; members only ever see their own workspace.
# Overlaps are prevented by the database, not by Python:
#
#   class Booking(models.Model):
#       ...
#       class Meta:
#           constraints = [ExclusionConstraint(
#               name="no_overlapping_bookings",
#               expressions=[("room", RangeOperators.EQUAL), ("during", RangeOperators.OVERLAPS)],
#               condition=Q(cancelled_at__isnull=True))]
#
# Amenity is a global catalogue (projector, whiteboard, video bar...) shared by all
# workspaces, so it has no workspace_id.
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from psycopg2.extras import DateTimeTZRange

from .forms import BookingForm
from .models import Amenity, Booking, Room


def _ws(request):
    return request.user.membership.workspace_id


def _upcoming_key(request):
    # per member on purpose: this is *their* list of bookings
    return f"rooms:upcoming:{_ws(request)}:{request.user.pk}"


@login_required
@require_GET
def room_list(request):
    rooms = (
        Room.objects.filter(workspace_id=_ws(request), active=True)
        .prefetch_related("amenities")
        .order_by("floor", "name")[:200]
    )
    return JsonResponse({"rooms": [
        {"id": r.id, "name": r.name, "seats": r.seats, "amenities": [a.name for a in r.amenities.all()]}
        for r in rooms
    ]})


@login_required
@require_POST
def book_room(request, room_id):
    form = BookingForm(request.POST)
    if not form.is_valid():
        return JsonResponse(form.errors, status=400)
    room = get_object_or_404(Room, pk=room_id, workspace_id=_ws(request), active=True)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                room=room,
                workspace_id=room.workspace_id,
                member=request.user,
                title=form.cleaned_data["title"],
                during=DateTimeTZRange(form.cleaned_data["start"], form.cleaned_data["end"]),
            )
    except IntegrityError:
        return JsonResponse({"error": "That room is already booked for part of this time."}, status=409)
    cache.delete(_upcoming_key(request))
    return JsonResponse({"id": booking.id}, status=201)


@login_required
@require_GET
def my_upcoming(request):
    key = _upcoming_key(request)
    data = cache.get(key)
    if data is None:
        qs = (
            Booking.objects.filter(
                workspace_id=_ws(request), member=request.user,
                cancelled_at__isnull=True, during__endswith__gte=timezone.now(),
            )
            .select_related("room")
            .order_by("during")[:20]
        )
        data = [{"id": b.id, "room": b.room.name, "start": b.during.lower.isoformat(), "title": b.title} for b in qs]
        cache.set(key, data, 60)
    return JsonResponse({"bookings": data})


@login_required
@require_POST
def cancel_booking(request, booking_id):
    updated = Booking.objects.filter(
        pk=booking_id, workspace_id=_ws(request), member=request.user, cancelled_at__isnull=True
    ).update(cancelled_at=timezone.now())
    if not updated:
        return JsonResponse({"error": "not found"}, status=404)
    cache.delete(_upcoming_key(request))
    return JsonResponse({"cancelled": booking_id})


@login_required
@require_GET
def amenity_detail(request, amenity_id):
    amenity = get_object_or_404(Amenity, pk=amenity_id)  # global catalogue, no tenant column
    rooms = amenity.rooms.filter(workspace_id=_ws(request), active=True).values("id", "name")[:200]
    return JsonResponse({"amenity": amenity.name, "rooms": list(rooms)})
