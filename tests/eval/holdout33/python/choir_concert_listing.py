# concerts/views.py
#
# Concert listing for the choir hub (hosts many community choirs; the
# TenantMiddleware sets request.choir from the subdomain).
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from .models import Concert, SeatAllocation

PAGE_SIZE = 20


@require_GET
def concert_list(request):
    """Upcoming and past concerts, newest first, keyset-paginated by id."""
    qs = Concert.objects.filter(choir=request.choir).order_by("-id")
    before = request.GET.get("before")
    if before:
        qs = qs.filter(id__lt=int(before))
    concerts = list(qs.values("id", "title", "venue", "starts_at", "capacity")[:PAGE_SIZE])

    # One grouped query for the whole page instead of one count per concert.
    ids = [c["id"] for c in concerts]
    taken = dict(
        SeatAllocation.objects.filter(concert_id__in=ids, concert__choir=request.choir)
        .values("concert_id")
        .annotate(n=Count("id"))
        .values_list("concert_id", "n")
    )
    for c in concerts:
        c["seats_left"] = c["capacity"] - taken.get(c["id"], 0)
        c["starts_at"] = c["starts_at"].isoformat()

    next_cursor = concerts[-1]["id"] if len(concerts) == PAGE_SIZE else None
    return JsonResponse({"concerts": concerts, "next_before": next_cursor})


@require_GET
def concert_detail(request, concert_id: int):
    try:
        concert = Concert.objects.get(pk=concert_id, choir=request.choir)
    except Concert.DoesNotExist:
        raise Http404("concert not found")

    sections = (
        concert.sections.annotate(
            taken=Count("allocations", filter=Q(allocations__status="confirmed"))
        )
        .order_by("display_order")
        .values("id", "name", "capacity", "taken")[:50]
    )
    return JsonResponse(
        {
            "id": concert.id,
            "title": concert.title,
            "venue": concert.venue,
            "starts_at": concert.starts_at.isoformat(),
            "sections": [
                {**s, "free": max(s["capacity"] - s["taken"], 0)} for s in sections
            ],
        }
    )
