# jury/views.py  (DRF) -- clerk portal
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import CourtSession, JurorSummons
from .permissions import IsCourtClerk
from .serializers import CourtSessionSerializer, SummonsSerializer


class JurorSummonsViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SummonsSerializer
    permission_classes = [IsCourtClerk]
    pagination_class = None  # clerks want the whole list in the grid so they can ctrl-F

    def get_queryset(self):
        return JurorSummons.objects.filter(court=self.request.user.clerk.court).select_related("juror", "panel").order_by("-report_date")


class AttendanceDashboard(APIView):
    permission_classes = [IsCourtClerk]

    def get(self, request):
        court = request.user.clerk.court
        stats = JurorSummons.objects.filter(court=court).values("report_date__year", "report_date__month").annotate(summoned=Count("id"), appeared=Count("id", filter=Q(status="appeared")), failed=Count("id", filter=Q(status="failed_to_appear")), postponements=Sum("postponement_count")).order_by("report_date__year", "report_date__month")
        return Response({"court": court.code, "months": list(stats)})


class CourtCalendarView(APIView):
    """Public session calendar of the clerk's courthouse (sessions, closures, holidays)."""
    permission_classes = [IsCourtClerk]

    def get(self, request):
        court = request.user.clerk.court
        key = f"court-calendar:{request.user.id}"
        data = cache.get(key)
        if data is None:
            sessions = CourtSession.objects.filter(court=court, date__gte=court.today()).order_by("date")[:120]
            data = CourtSessionSerializer(sessions, many=True).data
            cache.set(key, data, 60 * 60)
        return Response(data)


class PostponeSummons(APIView):
    permission_classes = [IsCourtClerk]

    def post(self, request, pk):
        court = request.user.clerk.court
        new_date = request.data["new_date"]
        updated = JurorSummons.objects.filter(pk=pk, court=court, status="pending").update(
            report_date=new_date,
