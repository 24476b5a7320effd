# venues/views_tastings.py
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .models import TastingReservation, TastingSession, Venue

CALENDAR_DAYS = 60
MAX_GUESTS = 6


@login_required
@require_GET
def tasting_calendar(request, venue_slug):
    """Upcoming menu tastings at one venue, for the couple-facing calendar widget."""
    venue = get_object_or_404(Venue, slug=venue_slug, planner_org=request.user.planner_org)
    now = timezone.now()
    sessions = (
        TastingSession.objects.filter(
            venue=venue,
            starts_at__gte=now,
            starts_at__lt=now + timedelta(days=CALENDAR_DAYS),
        )
        .order_by("starts_at")
        .values("id", "starts_at", "menu_name", "chef_name", "seats_remaining")[:100]
    )
    return JsonResponse({"venue": venue.name, "sessions": list(sessions)})


@login_required
@require_POST
def reserve_tasting(request, session_id):
    try:
        guests = int(request.POST.get("guests", "2"))
    except ValueError:
        return JsonResponse({"error": "guests must be a number"}, status=400)
    if not 1 <= guests <= MAX_GUESTS:
        return JsonResponse({"error": f"1-{MAX_GUESTS} guests per couple"}, status=400)

    couple = request.user.couple_profile
    with transaction.atomic():
        session = get_object_or_404(TastingSession, pk=session_id, venue__planner_org=request.user.planner_org)
        if session.starts_at <= timezone.now():
            return JsonResponse({"error": "this tasting has already started"}, status=409)
        if session.seats_remaining < guests:
            return JsonResponse({"error": "not enough seats left"}, status=409)

        session.seats_remaining = session.seats_remaining - guests
        session.save(update_fields=["seats_remaining"])
        reservation = TastingReservation.objects.create(
            session=session,
            couple=couple,
            guests=guests,
            dietary_notes=request.POST.get("dietary_notes", "")[:500],
        )

    return JsonResponse(
        {"reservation": reservation.pk, "seats_remaining": session.seats_remaining},
        status=201,
    )


@login_required
@require_POST
def cancel_reservation(request, reservation_id):
    with transaction.atomic():
        reservation = get_object_or_404(
            TastingReservation.objects.select_for_update(),
            pk=reservation_id,
            couple=request.user.couple_profile,
            cancelled_at__isnull=True,
        )
        reservation.cancelled_at = timezone.now()
        reservation.save(update_fields=["cancelled_at"])
        # Give the seats back in the database rather than in Python.
        TastingSession.objects.filter(pk=reservation.session_id).update(
            seats_remaining=F("seats_remaining") + reservation.guests
        )
    return JsonResponse({"cancelled": True})


@login_required
@require_GET
def my_reservations(request):
    rows = (
        TastingReservation.objects.filter(couple=request.user.couple_profile)
        .select_related("session", "session__venue")
        .order_by("-session__starts_at")[:20]
    )
    return JsonResponse(
        {
            "reservations": [
                {
                    "id": r.pk,
                    "venue": r.session.venue.name,
                    "starts_at": r.session.starts_at.isoformat(),
                    "guests": r.guests,
                    "cancelled": r.cancelled_at is not None,
                }
                for r in rows
            ]
        }
    )
