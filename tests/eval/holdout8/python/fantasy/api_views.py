from django.db import transaction
from django.db.models import F, Sum
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from leagues.models import FantasyTeam, Player, Roster
from leagues.providers import sync_scores_from_provider


class TeamSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username")
    injured_players = serializers.SerializerMethodField()

    class Meta:
        model = FantasyTeam
        fields = ["id", "name", "owner", "budget", "injured_players"]

    def get_injured_players(self, team):
        return team.roster_entries.filter(player__status="injured").count()


class LeagueTeamsView(generics.ListAPIView):
    """All teams in a league (max 20 per league)."""
    serializer_class = TeamSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return FantasyTeam.objects.filter(league_id=self.kwargs["league_id"]).select_related("owner")


class TransferView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request, team_id):
        player_id = request.data.get("player_id")
        with transaction.atomic():
            team = FantasyTeam.objects.select_for_update().get(pk=team_id, owner=request.user)
            player = Player.objects.get(pk=player_id)
            if Roster.objects.filter(team=team).count() >= 15:
                return Response({"detail": "roster full"}, status=status.HTTP_409_CONFLICT)
            updated = FantasyTeam.objects.filter(pk=team.pk, budget__gte=player.price).update(
                budget=F("budget") - player.price
            )
            if not updated:
                return Response({"detail": "insufficient budget"}, status=status.HTTP_409_CONFLICT)
            Roster.objects.create(team=team, player=player)
        return Response({"ok": True}, status=status.HTTP_201_CREATED)


class GlobalRankingView(APIView):
    """Season-wide ranking shown on the app home screen (polled every 30s)."""
    permission_classes = [permissions.AllowAny]

    def get(self, request):
        top = list(
            FantasyTeam.objects.annotate(season_points=Sum("roster_entries__player__match_scores__points"))
            .order_by("-season_points")
            .values("id", "name", "owner__username", "season_points")[:100]
        )
        return Response(top)


class RefreshScoresView(APIView):
    permission_classes = [permissions.IsAdminUser]

    def post(self, request, matchday):
        try:
            sync_scores_from_provider(matchday)
        except Exception:
            pass
        return Response({"status": "refreshed", "matchday": matchday})
