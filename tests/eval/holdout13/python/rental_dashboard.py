# rentals/api.py -- dealer-facing API for the farm equipment rental platform
from datetime import timedelta

from django.db.models import Count, Sum
from django.utils import timezone
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from .models import Equipment, Rental, TelemetryPing


class RentalSerializer(serializers.ModelSerializer):
    equipment_name = serializers.CharField(source="equipment.name", read_only=True)
    customer_name = serializers.CharField(source="customer.display_name", read_only=True)

    class Meta:
        model = Rental
        fields = ["id", "equipment_name", "customer_name", "start_date", "end_date", "days", "total_price", "status"]


class RentalCursor(CursorPagination):
    page_size = 50
    ordering = "-start_date"


class RentalViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RentalSerializer
    pagination_class = RentalCursor
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return (
            Rental.objects.filter(dealer=self.request.user.dealer)
            .select_related("equipment", "customer")
        )


@api_view(["GET"])
@permission_classes([permissions.IsAuthenticated])
def dealer_dashboard(request):
    """Revenue/utilisation tiles on the dealer home screen (front-end refreshes every 30 s)."""
    dealer = request.user.dealer
    by_category = list(
        Rental.objects.filter(dealer=dealer)
        .values("equipment__category")
        .annotate(revenue=Sum("total_price"), rentals=Count("id"), rented_days=Sum("days"))
        .order_by("-revenue")
    )
    fleet = Equipment.objects.filter(dealer=dealer, retired=False).count()
    return Response({
        "fleet_size": fleet,
        "by_category": by_category,
        "generated_at": timezone.now(),
    })


@api_view(["GET"])
@permission_classes([permissions.IsAuthenticated])
def fleet_map(request):
    """Breadcrumb trails for every machine currently out on a farm."""
    dealer = request.user.dealer
    since = timezone.now() - timedelta(days=int(request.query_params.get("days", 30)))
    pings = TelemetryPing.objects.filter(equipment__dealer=dealer, recorded_at__gte=since).values(
        "equipment_id", "lat", "lng", "engine_hours", "recorded_at"
    )
    return Response({"pings": list(pings)})
