# tours/views.py — Lighthouse heritage tours (Southstack Lighthouse Trust)
#
# Visitors book places on guided climbs of the tower. Each tour has a small
# number of places because of the spiral stair; the guides print the manifest
# from the admin site on the morning of the tour.
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .forms import JoinTourForm
from .models import HeritageTour, TourPlace

MAX_LISTED_TOURS = 40


@require_GET
def upcoming_tours(request):
    tours = (
        HeritageTour.objects.filter(departs_at__gt=timezone.now(), cancelled=False)
        .order_by("departs_at")
        .values("id", "title", "departs_at", "spots_left", "min_age")[:MAX_LISTED_TOURS]
    )
    return JsonResponse({"tours": list(tours)})


@login_required
@require_POST
def join_tour(request, tour_id):
    form = JoinTourForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    party = form.cleaned_data["party_size"]

    try:
        with transaction.atomic():
            # Decrement only if enough places remain; the row count tells us
            # whether we got them.
            claimed = HeritageTour.objects.filter(
                pk=tour_id,
                cancelled=False,
                departs_at__gt=timezone.now(),
                spots_left__gte=party,
            ).update(spots_left=F("spots_left") - party)
            if claimed == 0:
                return JsonResponse({"error": "not enough places left on this tour"}, status=409)
            place = TourPlace.objects.create(
                tour_id=tour_id, visitor=request.user, party_size=party
            )
    except IntegrityError:
        # TourPlace has unique (tour, visitor); the atomic block rolled the decrement back.
        return JsonResponse({"error": "you already have places on this tour"}, status=409)

    return JsonResponse({"place_id": place.id, "party_size": party}, status=201)


@login_required
@require_POST
def leave_tour(request, place_id):
    with transaction.atomic():
        place = get_object_or_404(
            TourPlace.objects.select_for_update(), pk=place_id, visitor=request.user
        )
        HeritageTour.objects.filter(pk=place.tour_id).update(
            spots_left=F("spots_left") + place.party_size
        )
        place.delete()
    return JsonResponse({"released": place_id})


@login_required
@require_GET
def my_places(request):
    places = (
        TourPlace.objects.filter(visitor=request.user, tour__departs_at__gt=timezone.now())
        .select_related("tour")
        .order_by("tour__departs_at")[:20]
    )
    return JsonResponse(
        {
            "places": [
                {
                    "id": p.id,
                    "tour": p.tour.title,
                    "departs_at": p.tour.departs_at.isoformat(),
                    "party_size": p.party_size,
                }
                for p in places
            ]
        }
    )
