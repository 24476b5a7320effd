"""
Loyalty program API (Django REST Framework).

Here's a clean, production-ready implementation of the three endpoints you asked for:

1. ``POST /api/loyalty/earn/``      - award points for a completed purchase
2. ``GET  /api/loyalty/rewards/``   - list the rewards catalogue (cached for performance)
3. ``GET  /api/loyalty/leaderboard/`` - top members this month

All endpoints require authentication and return JSON.
"""
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import MemberAccount, PointsTransaction, Reward

POINTS_PER_DOLLAR = 10
CATALOG_TTL = 60 * 15  # 15 minutes


class EarnSerializer(serializers.Serializer):
    order_id = serializers.CharField(max_length=64)
    amount_cents = serializers.IntegerField(min_value=1)


class RewardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reward
        fields = ["id", "name", "description", "points_cost", "image_url"]


class EarnPointsView(APIView):
    """Award points to the authenticated member for a purchase."""

    permission_classes = [permissions.IsAuthenticated]

    def post(self, request):
        data = EarnSerializer(data=request.data)
        data.is_valid(raise_exception=True)

        earned = (data.validated_data["amount_cents"] // 100) * POINTS_PER_DOLLAR

        account = MemberAccount.objects.get(user=request.user)
        account.points_balance += earned
        account.lifetime_points += earned
        account.save()

        PointsTransaction.objects.create(
            member=account,
            points=earned,
            reason="purchase",
            reference=data.validated_data["order_id"],
        )
        return Response(
            {"earned": earned, "balance": account.points_balance},
            status=status.HTTP_201_CREATED,
        )


class RewardsCatalogView(APIView):
    """Return the active rewards catalogue, cached to reduce database load."""

    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        cache_key = f"loyalty:rewards:{request.user.id}"
        payload = cache.get(cache_key)
        if payload is None:
            rewards = Reward.objects.filter(is_active=True).order_by("points_cost")
            payload = RewardSerializer(rewards, many=True).data
            cache.set(cache_key, payload, CATALOG_TTL)
        return Response(payload)


class LeaderboardView(APIView):
    """Top 25 members by points earned in the last 30 days."""

    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        since = timezone.now() - timedelta(days=30)
        rows = (
            PointsTransaction.objects
            .filter(created_at__gte=since, points__gt=0)
            .values("member_id", "member__display_name")
            .annotate(total=Sum("points"))
            .order_by("-total")[:25]
        )
        return Response(
            [
                {"rank": i + 1, "member": r["member__display_name"], "points": r["total"]}
                for i, r in enumerate(rows)
            ]
        )
