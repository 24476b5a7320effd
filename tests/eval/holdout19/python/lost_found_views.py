# lostfound/api/views.py
# Multi-airport lost & found. Every FoundItem / Claim row carries airport_id; staff users
# belong to exactly one airport (request.user.profile.airport_id).
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from ..models import Claim, FoundItem
from .serializers import ClaimDecisionSerializer, ClaimSerializer, FoundItemSerializer, PublicClaimSerializer


class NewestFirst(CursorPagination):
    page_size = 50
    ordering = "-found_at"


class FoundItemViewSet(viewsets.ModelViewSet):
    serializer_class = FoundItemSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = NewestFirst

    def get_queryset(self):
        qs = FoundItem.objects.filter(airport_id=self.request.user.profile.airport_id).select_related(
            "terminal", "logged_by"
        )
        category = self.request.query_params.get("category")
        if category:
            qs = qs.filter(category=category)
        return qs

    def perform_create(self, serializer):
        serializer.save(airport_id=self.request.user.profile.airport_id, logged_by=self.request.user)

    @action(detail=True, methods=["get"])
    def claims(self, request, pk=None):
        item = self.get_object()  # scoped by get_queryset
        qs = Claim.objects.filter(item=item, airport_id=item.airport_id).order_by("-created_at")[:100]
        return Response(ClaimSerializer(qs, many=True).data)


class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ClaimSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = NewestFirst

    def get_queryset(self):
        return Claim.objects.filter(airport_id=self.request.user.profile.airport_id).select_related("item")

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        ser = ClaimDecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        with transaction.atomic():
            claim = Claim.objects.select_for_update().get(pk=pk)
            if claim.status != "pending":
                return Response({"detail": "already decided"}, status=status.HTTP_409_CONFLICT)
            claim.status = ser.validated_data["decision"]
            claim.decided_by = request.user
            claim.decided_at = timezone.now()
            claim.save(update_fields=["status", "decided_by", "decided_at"])
            if claim.status == "approved":
                FoundItem.objects.filter(pk=claim.item_id, airport_id=claim.airport_id).update(status="released")
        return Response(ClaimSerializer(claim).data)


# passenger side: no login, they type the reference from the SMS we sent
@api_view(["POST"])
@permission_classes([permissions.AllowAny])
def submit_claim(request):
    ser = PublicClaimSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    item = get_object_or_404(FoundItem, public_ref=ser.validated_data["reference"], status="stored")
    claim = Claim.objects.create(
        item=item,
        airport_id=item.airport_id,
        passenger_name=ser.validated_data["name"],
        passenger_email=ser.validated_data["email"],
        description=ser.validated_data["description"],
