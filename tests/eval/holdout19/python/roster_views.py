"""Team roster endpoints for the youth soccer club app (DRF)."""
from django.db import IntegrityError, transaction
from django.db.models import F
from rest_framework import generics, permissions, status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Player, RosterSpot, Team, Waitlist
from .serializers import RosterSpotSerializer, TeamSerializer


class TwentyFivePerPage(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class TeamList(generics.ListAPIView):
    """Teams for a season, with coach, home field and practice slots in 3 queries total."""

    serializer_class = TeamSerializer
    pagination_class = TwentyFivePerPage

    def get_queryset(self):
        return (
            Team.objects.filter(season_id=self.kwargs["season_id"])
            .select_related("coach", "home_field")
            .prefetch_related("practice_slots")
            .order_by("age_group", "name")
        )


class JoinTeam(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request, team_id):
        player_id = request.data.get("player_id")
        # authorization, not availability: the guardian may only register their own kids
        if not Player.objects.filter(pk=player_id, guardian=request.user).exists():
            raise NotFound("player not found")

        with transaction.atomic():
            # lock the team row; concurrent joins for this team queue up here
            team = Team.objects.select_for_update().filter(pk=team_id).first()
            if team is None:
                raise NotFound("team not found")

            if team.spots_taken >= team.max_players:
                Waitlist.objects.get_or_create(team=team, player_id=player_id)
                return Response({"waitlisted": True}, status=status.HTTP_202_ACCEPTED)

            try:
                with transaction.atomic():
                    spot = RosterSpot.objects.create(team=team, player_id=player_id)
            except IntegrityError:
                # unique (team, player): double submit from the form
                return Response({"detail": "already on this roster"}, status=status.HTTP_409_CONFLICT)

            team.spots_taken = F("spots_taken") + 1
            team.save(update_fields=["spots_taken"])

        return Response(RosterSpotSerializer(spot).data, status=status.HTTP_201_CREATED)


class LeaveTeam(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def delete(self, request, team_id, player_id):
        with transaction.atomic():
            deleted, _ = RosterSpot.objects.filter(
                team_id=team_id, player_id=player_id, player__guardian=request.user
            ).delete()
            if not deleted:
                raise NotFound("not on this roster")
            Team.objects.filter(pk=team_id).update(spots_taken=F("spots_taken") - 1)
        return Response(status=status.HTTP_204_NO_CONTENT)
