# bikeshare/rides/api.py  (DRF, 4 gunicorn workers x 3 pods)
from django.db import transaction
from django.db.models import F
from rest_framework import generics, permissions, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Dock, Ride, Wallet


class RideSerializer(serializers.ModelSerializer):
    start_dock = serializers.CharField(source="start_dock.name")
    end_dock = serializers.CharField(source="end_dock.name", default=None)

    class Meta:
        model = Ride
        fields = ["id", "started_at", "ended_at", "start_dock", "end_dock", "fare_cents"]


class RidePages(CursorPagination):
    page_size = 25
    ordering = "-started_at"


class MyRides(generics.ListAPIView):
    serializer_class = RideSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = RidePages

    def get_queryset(self):
        return Ride.objects.filter(rider=self.request.user).select_related("start_dock", "end_dock")


class DockDetail(APIView):
    """Docks are public city infrastructure; there is no operator/tenant column."""

    def get(self, request, dock_id):
        dock = Dock.objects.filter(pk=dock_id).values("id", "name", "lat", "lon", "bikes_available").first()
        if dock is None:
            return Response(status=status.HTTP_404_NOT_FOUND)
        return Response(dock)


class EndRide(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request, ride_id):
        with transaction.atomic():
            ride = Ride.objects.select_for_update().get(pk=ride_id, rider=request.user)
            if ride.ended_at is not None:
                return Response({"detail": "already ended"}, status=status.HTTP_409_CONFLICT)
            ride.finish(dock_id=request.data["dock_id"])  # sets ended_at, end_dock, fare_cents
            ride.save()
            charged = Wallet.objects.filter(
                user=request.user, balance_cents__gte=ride.fare_cents
            ).update(balance_cents=F("balance_cents") - ride.fare_cents)
            if charged == 0:
                ride.mark_unpaid()
            Dock.objects.filter(pk=ride.end_dock_id).update(bikes_available=F("bikes_available") + 1)
        return Response(RideSerializer(ride).data)
