# donations/api.py  (Django REST Framework)
# Each charity is an Organization; staff and drives belong to one org.
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .models import Currency, Donation, Drive


class NewestFirst(CursorPagination):
    page_size = 25
    ordering = "-created_at"


class DonationSerializer(serializers.ModelSerializer):
    donor_name = serializers.CharField(source="donor.display_name", read_only=True)
    drive_title = serializers.CharField(source="drive.title", read_only=True)

    class Meta:
        model = Donation
        fields = ["id", "amount", "currency", "donor_name", "drive_title", "created_at"]


class DonationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DonationSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = NewestFirst

    def get_queryset(self):
        return (Donation.objects
                .filter(org=self.request.user.org)
                .select_related("donor", "drive"))

    @action(detail=False, methods=["get"], url_path="mine")
    def mine(self, request):
        # Receipts of the signed-in donor only - genuinely per user.
        key = f"donor-receipts:{request.user.id}"
        data = cache.get(key)
        if data is None:
            qs = (Donation.objects.filter(org=request.user.org, donor=request.user)
                  .select_related("drive").order_by("-created_at")[:50])
            data = DonationSerializer(qs, many=True).data
            cache.set(key, data, timeout=120)
        return Response(data)


class PledgeIn(serializers.Serializer):
    drive_id = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("1.00"))
    currency = serializers.CharField(max_length=3)


class DriveViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return Drive.objects.filter(org=self.request.user.org).order_by("-starts_on")

    def retrieve(self, request, pk=None):
        drive = get_object_or_404(self.get_queryset(), pk=pk)
        # raised_total is maintained on write (see pledge below), no SUM() here
        return Response({"id": drive.id, "title": drive.title, "goal": drive.goal,
                         "raised": drive.raised_total, "donors": drive.donor_count})

    @action(detail=False, methods=["post"])
    def pledge(self, request):
        body = PledgeIn(data=request.data)
        body.is_valid(raise_exception=True)
        cur = Currency.objects.get(code=body.validated_data["currency"])  # global lookup table
        amount = body.validated_data["amount"] * cur.rate_to_usd

        with transaction.atomic():
            updated = (Drive.objects
                       .filter(pk=body.validated_data["drive_id"], org=request.user.org, is_open=True)
                       .update(raised_total=F("raised_total") + amount,
                               donor_count=F("donor_count") + 1))
            if updated == 0:
                return Response({"detail": "Drive not found or closed"},
                                status=status.HTTP_404_NOT_FOUND)
            donation = Donation.objects.create(
                org=request.user.org, drive_id=body.validated_data["drive_id"],
                donor=request.user, amount=amount, currency="USD",
            )
        cache.delete(f"donor-receipts:{request.user.id}")
        return Response({"id": donation.id}, status=status.HTTP_201_CREATED)
