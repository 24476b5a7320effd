# defences/views.py -- thesis defence scheduling (graduate school portal)
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import generics, permissions
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import CommitteeSeat, Defence, Examiner, Room
from .serializers import BookDefenceSerializer, DefenceSerializer, RoomSerializer


class DefencePagination(CursorPagination):
    page_size = 25
    ordering = "starts_at"


class UpcomingDefences(generics.ListAPIView):
    serializer_class = DefenceSerializer
    pagination_class = DefencePagination
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return (
            Defence.objects.filter(
                department_id=self.request.user.department_id,
                starts_at__gte=timezone.now(),
            )
            .select_related("candidate", "room", "chair")
            .prefetch_related("committee_seats__examiner")
        )


class RoomDetail(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request, pk):
        # seminar rooms are campus-wide and shared by all departments (no department column)
        room = get_object_or_404(Room, pk=pk)
        return Response(RoomSerializer(room).data)


class BookDefence(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request):
        s = BookDefenceSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        dept = request.user.department_id
        try:
            with transaction.atomic():
                # external examiners have a per-term cap; lock the row while we check it
                examiner = Examiner.objects.select_for_update().get(
                    pk=d["external_examiner_id"], department_id=dept
                )
                if examiner.defences_this_term >= examiner.max_defences_per_term:
                    return Response({"detail": "examiner is fully booked this term"}, status=409)
                defence = Defence.objects.create(
                    department_id=dept,
                    candidate_id=d["candidate_id"],
                    room_id=d["room_id"],
                    chair_id=d["chair_id"],
                    starts_at=d["starts_at"],
                )
                CommitteeSeat.objects.create(defence=defence, examiner=examiner, role="external")
                Examiner.objects.filter(pk=examiner.pk).update(
                    defences_this_term=F("defences_this_term") + 1
                )
        except Examiner.DoesNotExist:
            return Response({"detail": "unknown examiner"}, status=404)
        except IntegrityError:
            # UniqueConstraint(room, starts_at) and UniqueConstraint(candidate)
            return Response({"detail": "room or candidate already booked"}, status=409)
        return Response(DefenceSerializer(defence).data, status=201)


class TermSummary(APIView):
    """Small per-department numbers for the graduate office header (tens of rows)."""
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        term = request.query_params.get("term") or request.user.department.current_term
        stats = Defence.objects.filter(department_id=request.user.department_id, term=term).aggregate(
            total=Count("id"),
            upcoming=Count("id", filter=Q(starts_at__gte=timezone.now())),
        )
        return Response({"term": term, **stats})
