"""Seat reservations for the Thursday lunchtime organ recitals.

Seats are free but numbered (the nave is small and the churchwardens like to
know who is coming). Reservations are confirmed by text via the diocese's
messaging relay.
"""
import json
import logging
import urllib.request

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from .forms import ReservationForm
from .models import Recital, SeatReservation

log = logging.getLogger(__name__)


def _send_confirmation(phone: str, text: str) -> None:
    req = urllib.request.Request(
        settings.DIOCESE_SMS_RELAY_URL,
        data=json.dumps({"to": phone, "text": text}).encode(),
        headers={"Content-Type": "application/json", "X-Api-Key": settings.DIOCESE_SMS_KEY},
        method="POST",
    )
    with urllib.request.urlopen(req) as resp:
        if resp.status >= 300:
            raise RuntimeError(f"SMS relay returned {resp.status}")


@require_GET
def seat_map(request, recital_id):
    recital = get_object_or_404(Recital, pk=recital_id, published=True)
    taken = set(
        SeatReservation.objects.filter(recital=recital).values_list("seat_label", flat=True)
    )
    # The nave has a fixed plan of 96 seats, rows A-L, 8 per row.
    seats = [
        {"label": f"{row}{n}", "free": f"{row}{n}" not in taken}
        for row in "ABCDEFGHJKL"
        for n in range(1, 9)
    ]
    return JsonResponse({"recital": recital.title, "organist": recital.organist, "seats": seats})


@require_POST
def reserve_seat(request, recital_id):
    recital = get_object_or_404(Recital, pk=recital_id, published=True)
    form = ReservationForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)

    seat = form.cleaned_data["seat_label"]
    if SeatReservation.objects.filter(recital=recital, seat_label=seat).exists():
        return JsonResponse({"error": "Somebody has just taken that seat"}, status=409)

    reservation = SeatReservation.objects.create(
        recital=recital,
        seat_label=seat,
        name=form.cleaned_data["name"],
        phone=form.cleaned_data["phone"],
    )

    try:
        _send_confirmation(
            reservation.phone,
            f"{recital.title}, {recital.starts_at:%a %d %b %H:%M}: seat {seat} is yours.",
        )
    except Exception:
        log.exception("confirmation text failed for reservation %s", reservation.pk)

    return JsonResponse({"reservation": reservation.pk, "seat": seat}, status=201)
