# request.museum is set by TenantMiddleware from the museum's subdomain
# (louvre-lite.tours.example, natsci.tours.example, ...).


@require_GET
def tours_for_day(request):
    """Public listing used by the kiosk at the entrance."""
    day = parse_date(request.GET.get("date", "")) or timezone.localdate()
    slots = (
        TourSlot.objects.filter(starts_at__date=day, cancelled=False)
        .select_related("guide", "gallery")
        .order_by("starts_at")[:100]
    )
    return JsonResponse(
        {
            "date": day.isoformat(),
            "tours": [
                {
                    "id": s.id,
                    "title": s.title,
                    "gallery": s.gallery.name,
                    "guide": s.guide.display_name,
                    "starts_at": s.starts_at.isoformat(),
                    "language": s.language,
                    "spots_left": s.capacity - s.spots_taken,
                }
                for s in slots
            ],
        }
    )


@login_required
@require_POST
def guide_check_in(request, slot_id):
    """Guides tap '+1' / '+family' on their tablet as visitors arrive at the
    meeting point. Several guides share big tours, so several tablets post
    to the same slot."""
    count = int(request.POST.get("count", 1))
    if not 1 <= count <= 10:
        return JsonResponse({"error": "count must be 1..10"}, status=400)

    slot = get_object_or_404(TourSlot, pk=slot_id, museum=request.museum)
    if slot.starts_at.date() != timezone.localdate():
        return JsonResponse({"error": "Check-in only opens on the day"}, status=409)

    slot.checked_in = slot.checked_in + count
    slot.last_check_in_at = timezone.now()
    slot.save(update_fields=["checked_in", "last_check_in_at"])

    TourCheckIn.objects.create(
        museum=request.museum,
        slot=slot,
        guide=request.user,
        count=count,
    )
    return JsonResponse(
        {"slot": slot.id, "checked_in": slot.checked_in, "expected": slot.spots_taken}
    )


@login_required
@require_GET
def guide_today(request):
    """The guide's own tours for today, shown on the tablet home screen."""
    slots = (
        TourSlot.objects.filter(
            museum=request.museum,
            guide=request.user,
            starts_at__date=timezone.localdate(),
        )
        .order_by("starts_at")[:20]
    )
    return JsonResponse(
        {
            "tours": [
                {
                    "id": s.id,
                    "title": s.title,
                    "starts_at": s.starts_at.isoformat(),
                    "checked_in": s.checked_in,
                    "expected": s.spots_taken,
                }
                for s in slots
            ]
        }
    )
