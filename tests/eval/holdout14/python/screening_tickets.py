from django.db import IntegrityError, transaction
from django.db.models import F
from django.shortcuts import get_object_or_404
from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from festival.models import Screening, Seat, Ticket


class TicketSerializer(serializers.ModelSerializer):
    film = serializers.CharField(source="screening.film.title")
    venue = serializers.CharField(source="screening.venue.name")
    starts_at = serializers.DateTimeField(source="screening.starts_at")
    seat = serializers.CharField(source="seat.label", default=None)

    class Meta:
        model = Ticket
        fields = ["id", "film", "venue", "starts_at", "seat", "status"]


class TicketCursor(CursorPagination):
    page_size = 25
    ordering = "-created_at"


class MyTickets(generics.ListAPIView):
    serializer_class = TicketSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = TicketCursor

    def get_queryset(self):
        return (
            Ticket.objects.filter(owner=self.request.user)
            .select_related("screening__film", "screening__venue", "seat")
        )


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def buy_reserved_seat(request, screening_id, seat_id):
    """Reserved-seating screenings (galas): lock the seat row, then sell it."""
    with transaction.atomic():
        seat = (
            Seat.objects.select_for_update()
            .select_related("screening")
            .get(pk=seat_id, screening_id=screening_id)
        )
        if seat.status != Seat.AVAILABLE:
            return Response({"detail": "seat already taken"}, status=status.HTTP_409_CONFLICT)
        seat.status = Seat.SOLD
        seat.save(update_fields=["status"])
        ticket = Ticket.objects.create(
            owner=request.user, screening=seat.screening, seat=seat, status="paid"
        )
    return Response(TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def buy_general_admission(request, screening_id):
    """Open-seating screenings: bump the sold counter only while there is room."""
    screening = get_object_or_404(Screening, pk=screening_id, seating="general")
    try:
        with transaction.atomic():
            sold = Screening.objects.filter(
                pk=screening.pk, seats_sold__lt=F("capacity")
            ).update(seats_sold=F("seats_sold") + 1)
            if sold == 0:
                return Response({"detail": "sold out"}, status=status.HTTP_409_CONFLICT)
            # unique (owner, screening) -- one GA ticket per account for premieres
            ticket = Ticket.objects.create(owner=request.user, screening=screening, status="paid")
    except IntegrityError:
        return Response({"detail": "you already have a ticket"}, status=status.HTTP_409_CONFLICT)
    return Response(TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)
