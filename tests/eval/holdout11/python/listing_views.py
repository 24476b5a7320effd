from datetime import timedelta
from functools import lru_cache

import requests
from django.conf import settings
from django.db.models import Avg, Count
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import generics, permissions, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Listing, MlsSale
from .serializers import ListingSerializer, ListingPriceSerializer


class ListingCursor(CursorPagination):
    page_size = 50
    ordering = "-updated_at"


@lru_cache(maxsize=None)
def geocode(address: str):
    resp = requests.get(
        "https://maps.googleapis.com/maps/api/geocode/json",
        params={"address": address, "key": settings.GOOGLE_MAPS_KEY},
        timeout=4,
    )
    resp.raise_for_status()
    loc = resp.json()["results"][0]["geometry"]["location"]
    return loc["lat"], loc["lng"]


class BrokerageListings(generics.ListCreateAPIView):
    """Listings for the agent's brokerage (each brokerage is a tenant)."""
    serializer_class = ListingSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = ListingCursor

    def get_queryset(self):
        return (Listing.objects
                .filter(brokerage_id=self.request.user.brokerage_id)
                .select_related("agent")
                .prefetch_related("photos"))

    def perform_create(self, serializer):
        lat, lng = geocode(serializer.validated_data["address"])
        serializer.save(brokerage_id=self.request.user.brokerage_id,
                        agent=self.request.user, lat=lat, lng=lng)


class ListingDetail(generics.RetrieveUpdateAPIView):
    serializer_class = ListingSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return Listing.objects.filter(brokerage_id=self.request.user.brokerage_id)


class ListingPriceChange(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request, pk):
        listing = get_object_or_404(Listing, pk=pk)
        ser = ListingPriceSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        listing.price_history.create(old_price=listing.price, new_price=ser.validated_data["price"],
                                     changed_by=request.user)
        listing.price = ser.validated_data["price"]
        listing.save(update_fields=["price", "updated_at"])
        return Response(ListingSerializer(listing).data, status=status.HTTP_200_OK)


class MarketStats(APIView):
    """Dashboard tile: sales volume / avg price / days-on-market per zip, last 12 months.

    MlsSale is the regional MLS feed (~40M rows), shared by all brokerages.
    """
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        since = timezone.now() - timedelta(days=365)
        zips = request.query_params.getlist("zip")
        stats = (
            MlsSale.objects.filter(closed_at__gte=since, zip_code__in=zips or request.user.brokerage.zip_codes)
            .values("zip_code")
            .annotate(sales=Count("id"), avg_price=Avg("close_price"), avg_dom=Avg("days_on_market"))
            .order_by("zip_code")
        )
        return Response(list(stats))


class ListingPhotosReorder(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request, pk):
        listing = get_object_or_404(Listing, pk=pk, brokerage_id=request.user.brokerage_id)
        order = request.data.get("photo_ids", [])
        for position, photo_id in enumerate(order):
