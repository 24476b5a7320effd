class VisitPagination(PageNumberPagination):
    page_size = 50
    max_page_size = 200


def _volunteer_hours(hospice_id, week_start):
    """Hours per volunteer for the coordinator's weekly report."""
    week_end = week_start + timedelta(days=7)
    report = []
    for vol in Volunteer.objects.filter(hospice_id=hospice_id, active=True).order_by("last_name"):
        minutes = Visit.objects.filter(
            hospice_id=hospice_id,
            volunteer=vol,
            scheduled_for__gte=week_start,
            scheduled_for__lt=week_end,
            status=Visit.Status.COMPLETED,
        ).aggregate(total=Sum("duration_minutes"))["total"] or 0
        report.append({"volunteer": vol.full_name, "hours": round(minutes / 60, 1)})
    return report


class VisitViewSet(viewsets.ModelViewSet):
    """Visits for the signed-in coordinator's hospice only."""

    serializer_class = VisitSerializer
    permission_classes = [IsAuthenticated, IsCoordinator]
    pagination_class = VisitPagination

    def get_queryset(self):
        return (
            Visit.objects.filter(hospice_id=self.request.user.hospice_id)
            .select_related("patient", "volunteer")
            .order_by("scheduled_for")
        )

    def perform_create(self, serializer):
        serializer.save(hospice_id=self.request.user.hospice_id, created_by=self.request.user)

    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        visit = Visit.objects.get(pk=pk)
        volunteer = get_object_or_404(
            Volunteer, pk=request.data.get("volunteer_id"), hospice_id=request.user.hospice_id
        )
        visit.volunteer = volunteer
        visit.status = Visit.Status.SCHEDULED
        visit.save(update_fields=["volunteer", "status"])
        notify_volunteer.delay(volunteer.pk, visit.pk)
        return Response(self.get_serializer(visit).data)

    @action(detail=False, methods=["get"], url_path="weekly-hours")
    def weekly_hours(self, request):
        week_start = parse_date(request.query_params.get("week")) or date.today()
        return Response(_volunteer_hours(request.user.hospice_id, week_start))
