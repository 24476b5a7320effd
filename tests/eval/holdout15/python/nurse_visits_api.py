# visits/api.py -- DRF endpoints for the CarePath home-health app
# Every table below carries agency_id; nurses and schedulers only ever see their own agency.
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from .models import Visit, VisitTask, Patient


class VisitCursor(CursorPagination):
    page_size = 50
    ordering = "-scheduled_start"


class VisitTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitTask
        fields = ["id", "code", "description", "done"]


class VisitSerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.display_name", read_only=True)
    nurse_name = serializers.CharField(source="nurse.get_full_name", read_only=True)
    tasks = VisitTaskSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "patient", "patient_name", "nurse", "nurse_name", "scheduled_start",
                  "scheduled_end", "status", "checked_in_at", "checked_out_at", "tasks"]
        read_only_fields = ["status", "checked_in_at", "checked_out_at"]

    def validate_patient(self, patient):
        if patient.agency_id != self.context["request"].user.agency_id:
            raise serializers.ValidationError("Unknown patient.")
        return patient


class IsAgencyStaff(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.agency_id is not None


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = VisitSerializer
    permission_classes = [IsAgencyStaff]
    pagination_class = VisitCursor

    def get_queryset(self):
        qs = (
            Visit.objects.filter(agency_id=self.request.user.agency_id)
            .select_related("patient", "nurse")
            .prefetch_related(Prefetch("tasks", queryset=VisitTask.objects.order_by("sort_order")))
        )
        if self.request.user.role == "nurse":
            qs = qs.filter(nurse=self.request.user)
        day = self.request.query_params.get("day")
        if day:
            qs = qs.filter(scheduled_start__date=day)
        return qs

    def perform_create(self, serializer):
        serializer.save(agency_id=self.request.user.agency_id)

    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        with transaction.atomic():
            visit = get_object_or_404(
                Visit.objects.select_for_update()
                .filter(agency_id=request.user.agency_id, nurse=request.user),
                pk=pk,
            )
            if visit.status != Visit.Status.SCHEDULED:
                return Response({"detail": f"visit is {visit.status}"}, status=status.HTTP_409_CONFLICT)
            visit.status = Visit.Status.IN_PROGRESS
            visit.checked_in_at = timezone.now()
            visit.check_in_lat = request.data.get("lat")
            visit.check_in_lng = request.data.get("lng")
            visit.save(update_fields=["status", "checked_in_at", "check_in_lat", "check_in_lng"])
        return Response(self.get_serializer(visit).data)

    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request, pk=None):
        updated = Visit.objects.filter(
            pk=pk, agency_id=request.user.agency_id, nurse=request.user,
            status=Visit.Status.IN_PROGRESS,
        ).update(status=Visit.Status.COMPLETED, checked_out_at=timezone.now())
        if not updated:
            return Response({"detail": "visit not in progress"}, status=status.HTTP_409_CONFLICT)
        return Response(status=status.HTTP_204_NO_CONTENT)
