"""Fan-to-fan ticket resale: public listing endpoints (DRF)."""
from django.core.cache import cache
from django.shortcuts import get_object_or_404
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import User
from events.models import Event, Venue
from resale.models import Listing

EVENT_CACHE_TTL = 300


class EventDetailSerializer(serializers.ModelSerializer):
    venue_name = serializers.CharField(source="venue.name")
    city = serializers.CharField(source="venue.city")

    class Meta:
        model = Event
        fields = ["id", "title", "starts_at", "venue_name", "city", "poster_url", "seat_map_url"]


class ResaleViewSet(viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated]

    def retrieve(self, request, pk=None):
        """Event header shown above the listings."""
        key = f"resale:event:{pk}:u:{request.user.id}"
        data = cache.get(key)
        if data is None:
            event = get_object_or_404(Event.objects.select_related("venue"), pk=pk)
            data = EventDetailSerializer(event).data
            cache.set(key, data, EVENT_CACHE_TTL)
        return Response(data)

    @action(detail=True, methods=["get"])
    def listings(self, request, pk=None):
        """Cheapest 50 active listings for an event, with seller reputation."""
        qs = (
            Listing.objects.filter(event_id=pk, status=Listing.ACTIVE)
            .order_by("price_cents", "id")[:50]
        )
        out = []
        for listing in qs:
            seller = User.objects.only("id", "display_name", "rating", "sales_count").get(pk=listing.seller_id)
            out.append(
                {
                    "id": listing.id,
                    "section": listing.section,
                    "row": listing.row,
                    "quantity": listing.quantity,
                    "price": listing.price_cents / 100,
                    "seller": {
                        "name": seller.display_name,
                        "rating": seller.rating,
                        "sales": seller.sales_count,
                    },
                }
            )
        return Response({"event_id": int(pk), "listings": out})

    @action(detail=False, methods=["get"], url_path="mine")
    def my_listings(self, request):
        """The current user's own listings (this really is per user)."""
        key = f"resale:mine:{request.user.id}"
        data = cache.get(key)
        if data is None:
            rows = (
                Listing.objects.filter(seller_id=request.user.id)
                .select_related("event")
                .order_by("-created_at")[:100]
            )
            data = [
                {"id": l.id, "event": l.event.title, "status": l.status, "price": l.price_cents / 100}
                for l in rows
            ]
            cache.set(key, data, 60)
        return Response(data)
